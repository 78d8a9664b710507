"""The demo village as tests meet it: its residents, accounts, letter requests, and the pages'
tokens and error summaries."""
import datetime
import re
import secrets

from balai.db import now
from balai.demo import seed
from balai.letters.models import LetterRequest, LetterType
from balai.people.models import Person, User

BUDI, SITI, AHMAD = (r["nik"] for r in seed.RESIDENTS)


class Login:
    """Log a test client in as one of the demo accounts."""

    def __init__(self, app):
        self.app = app

    def as_(self, login, password=seed.DEMO_PASSWORD):
        client = self.app.test_client()
        response = client.post("/masuk", data={"login": login, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)
        return client


def make_request(nik=BUDI, slug="domisili", status="draf", purpose="Melamar pekerjaan"):
    """A letter request in the given state, made directly in the database."""
    person = Person.get(Person.nik == nik)
    user = User.get(User.person == person)
    return LetterRequest.create(person=person, letter_type=LetterType.get(LetterType.slug == slug),
                                status=status, purpose=purpose, created_by=user,
                                form_key=secrets.token_hex(8),
                                submitted_at=None if status == "draf" else now())


def waiting(status="diajukan", days=0, **kwargs):
    """A request that has waited in the inbox for `days` days (and five minutes)."""
    letter = make_request(status=status, **kwargs)
    letter.submitted_at = now() - datetime.timedelta(days=days, minutes=5)
    letter.save()
    return letter


def csrf_token_from(html):
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return match and match.group(1)


def error_page_html(response, field, message):
    """Assert a 422 whose error summary links to the field with the message; return the page."""
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html and f'<a href="#{field}">' in html and message in html
    return html
