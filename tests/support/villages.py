"""Two villages in one installation: the demo village (Sukamaju, village 1) and a second one,
Mekarjaya, founded from the template and seeded with the same demo people, accounts and
letter types (the same NIKs and usernames: each village's own)."""
from flask.testing import FlaskClient

from balai.demo import seed
from balai.founding.village import add_village
from balai.storage import documents
from balai.villages.context import village_context
from balai.villages.models import Village

HOST_A, HOST_B = "sukamaju.desa.test", "mekarjaya.desa.test"
REGENCY_HOST = "kabupaten.subang.test"


def second_village(app):
    """Give village 1 its host and add Mekarjaya, seeded; returns Mekarjaya's id."""
    Village.update(host=HOST_A).where(Village.id == 1).execute()
    Village._hosts = (None, None)
    village, _ = add_village("Desa Mekarjaya", HOST_B, from_template=True)
    with village_context(village.id):
        seed.seed_demo(documents(app), app.config["PASSWORD_HASH_METHOD"])
        Village.update(name="Desa Mekarjaya").where(Village.id == village.id).execute()
    return village.id


class HostClient(FlaskClient):
    """A test client whose requests carry this Host header (its cookies stay the test
    client's: a cookie of one host's client may be handed to another's)."""
    host = None

    def open(self, *args, **kwargs):
        kwargs["headers"] = {"Host": self.host, **dict(kwargs.get("headers") or {})}
        return super().open(*args, **kwargs)


def client_on(app, host):
    client = HostClient(app, app.response_class, use_cookies=True)
    client.host = host
    return client


def login_on(app, host, login, password=seed.DEMO_PASSWORD):
    client = client_on(app, host)
    response = client.post("/masuk", data={"login": login, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return client
