"""Two villages in one installation: the demo village (Sukamaju, village 1) and a second one,
Mekarjaya, founded from the template and seeded with the same demo people, accounts and
letter types (the same NIKs and usernames: each village's own). Or, with `founded_village`,
Mekarjaya as the regency founds a village: its own profile, number format, signing CA, officials
and resident, nothing in common with Sukamaju but the letter types copied from the template."""
import datetime

from flask.testing import FlaskClient

from balai.demo import seed
from balai.founding.village import add_village
from balai.people.models import Person, User
from balai.signing import keys as signing
from balai.storage import documents
from balai.villages.context import village_context
from balai.villages.models import Village

HOST_A, HOST_B = "sukamaju.desa.test", "mekarjaya.desa.test"
REGENCY_HOST = "kabupaten.subang.test"

MEKARJAYA = "Desa Mekarjaya"
MEKARJAYA_PROFILE = dict(
    kecamatan="Cipunagara", kode_desa="3213092005", kades_name="Hj. Nenah Suryani",
    address="Jl. Raya Mekarjaya No. 7, Subang 41257", phone="(0260) 520 117",
    email="pemdes@mekarjaya.desa.id", number_format="{kode}/{nomor:03}/MKJ/{tahun}")
MEKARJAYA_OFFICIALS = [("operator", "operator", "Lilis Suryani"),
                       ("kasipem", "kasi_pem", "Yayan Sopyan"),
                       ("sekdes", "sekdes", "Iwan Ridwan"),
                       ("kades", "kades", "Hj. Nenah Suryani")]
MEKARJAYA_RESIDENT = dict(
    nik="3213094107950004", kk_number="3213090101100004", name="Dewi Lestari",
    birth_place="Pamanukan", birth_date=datetime.date(1995, 7, 1), sex="P", religion="Islam",
    marital_status="Belum Kawin", occupation="Guru Honorer", address="Kp. Cikadu", rt="004",
    rw="002", dusun="Dusun Cikadu")
MEKARJAYA_CA_PASSPHRASE = "ca-mekarjaya-rahasia"
MEKARJAYA_SIGNING_PASSPHRASE = "tandatangan-mekarjaya"


def host_first_village(host=HOST_A):
    """Village 1 (the demo village) answers on its own host from now on."""
    Village.update(host=host).where(Village.id == 1).execute()
    Village._hosts = (None, None)


def second_village(app):
    """Give village 1 its host and add Mekarjaya, seeded; returns Mekarjaya's id."""
    host_first_village()
    village, *_ = add_village("Desa Mekarjaya", HOST_B, from_template=True)
    with village_context(village.id):
        seed.seed_demo(documents(app), app.config["PASSWORD_HASH_METHOD"])
        Village.update(name="Desa Mekarjaya").where(Village.id == village.id).execute()
    return village.id


def founded_village(app, host=HOST_B):
    """Give village 1 its host and found Mekarjaya on `host` (see the module's docstring): its
    Kades signs with a key of their own from Mekarjaya's own CA. Returns Mekarjaya's id."""
    host_first_village()
    store = documents(app)
    village, *_ = add_village(MEKARJAYA, host, from_template=True, store=store,
                             ca_passphrase=MEKARJAYA_CA_PASSPHRASE)
    password_hash = seed.demo_password_hash(app.config["PASSWORD_HASH_METHOD"])
    with village_context(village.id):
        Village.update(**MEKARJAYA_PROFILE).where(Village.id == village.id).execute()
        users = {username: User.create(username=username, role=role, full_name=full_name,
                                       active=True, password_hash=password_hash)
                 for username, role, full_name in MEKARJAYA_OFFICIALS}
        ca = signing.village_ca(store, MEKARJAYA_CA_PASSPHRASE, MEKARJAYA)
        signing.enroll(store, ca, users["kades"], "Kepala Desa", MEKARJAYA_SIGNING_PASSPHRASE)
        User.create(person=Person.create(**MEKARJAYA_RESIDENT), role="warga", active=True,
                    password_hash=password_hash)
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
