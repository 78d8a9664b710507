"""Every GET page, for every role, with real objects: never a server error, and a resident
never sees another resident's request, attachment or letter."""
import pytest

from tests.support.routes import ROLES, urls
from tests.support.village import BUDI, make_request

FINE = {200, 204, 302, 303, 403, 404}
# Pages of one resident's request: another resident gets 404 on every one of them.
RESIDENT_OWNED = {"letters.show", "letters.details", "letters.requirements", "letters.check",
                  "letters.cancel", "letters.attachment", "documents.letter_pdf"}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_every_role_sensibly(request, app, objects, role):
    client = request.getfixturevalue(role) if role else app.test_client()
    seen, wrong = 0, []
    for endpoint, url in urls(app, objects):
        response = client.get(url)
        seen += 1
        expected = FINE
        if role == "siti" and endpoint in RESIDENT_OWNED | {"kept_documents.file"}:
            expected = {404}  # Budi's request, and Budi's Dokumen saya
        elif role == "budi" and endpoint in RESIDENT_OWNED - {"documents.letter_pdf"}:
            expected = {200, 303}  # a draft's pages, or a decided request sent to its page
        elif endpoint.startswith("kept_documents."):  # Dokumen saya: the resident's alone
            expected = ({200} if role in ("budi", "siti") else {302} if role is None
                        else {404} if role == "kabupaten" else {403})  # (its host has none)
        if response.status_code not in expected:
            wrong.append(f"{url} ({endpoint}): {response.status_code}")
    assert seen > 40
    assert not wrong, "\n".join(wrong)


def test_the_owner_and_officials_open_the_issued_letter_and_its_attachment(login, objects):
    letter, attachment = objects["letters"][1]
    for who in ("3213051508900001", "kasipem", "sekdes", "kades", "kasikesra", "operator"):
        client = login.as_(who)
        # Need to know: the Kasi Kesra has no step on a Pemerintahan letter, the operator none.
        status = 403 if who in ("kasikesra", "operator") else 200
        assert client.get(f"/surat/{letter.id}").status_code == status
        assert client.get(f"/surat/{letter.id}/unduh").status_code == status
        assert client.get(f"/surat/{letter.id}/lampiran/{attachment.id}").status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page_from_every_private_page(app, objects):
    client = app.test_client()
    public = {"home.index", "auth.login", "auth.register", "auth.registered", "verify.letter",
              "verify.upload", "news.article", "news.search", "news.feed", "news.image",
              "news.category", "market.catalogue", "market.product", "market.photo",
              "health.health", "standards.public"}
    for endpoint, url in urls(app, objects):
        response = client.get(url)
        if endpoint in public or endpoint.startswith("pwa."):
            assert response.status_code == 200, url
        else:
            assert response.status_code in (302, 403), url
            if response.status_code == 302:
                assert "/masuk" in response.location, url


GARBAGE = {"action": "setujui", "version": "x", "versi": "abc", "note": "\x00" * 3,
           "letter_type": "1e9", "penduduk": "-1", "keperluan": "a" * 5000, "login": "\x00",
           "password": "x", "alasan": "b" * 5000, "nik": "３２１３", "birth_date": "31-02-2026",
           "publish_at": "31-02-2026 25:00", "paper": "A0", "number_format": "{nomor:999999}"}


@pytest.mark.parametrize("role", ["budi", "operator", "kasipem"])
def test_every_form_survives_garbage(request, app, objects, role):
    client = request.getfixturevalue(role)
    letter, _ = objects["letters"][0]
    failed = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint == "auth.logout":
            continue
        args = {**objects, "request_id": letter.id, "channel": "email"}
        with app.test_request_context():
            url = app.url_for(rule.endpoint, **{name: args[name] for name in rule.arguments})
        response = client.post(url, data=GARBAGE)
        if response.status_code >= 500:
            failed.append(f"{url}: {response.status_code}")
    assert not failed, "\n".join(failed)


OFFICIALS = ["operator", "kasipem", "kasikesra", "sekdes", "kades"]
TURN = {"diajukan": "kasipem", "diverifikasi": "sekdes", "diperiksa": "kades"}


@pytest.mark.parametrize("status", ["draf", "diajukan", "diverifikasi", "diperiksa", "selesai",
                                    "dikembalikan", "ditolak", "dibatalkan"])
def test_an_official_never_acts_out_of_turn(login, db, status):
    letter = make_request(status=status)
    for official in OFFICIALS + [BUDI]:
        if TURN.get(status) == official:
            continue
        client = login.as_(official)
        for action in ("setujui", "kembalikan", "tolak"):
            response = client.post(f"/kotak-masuk/{letter.id}", data={
                "action": action, "note": "Alasan", "version": letter.version})
            assert response.status_code == 403, (official, action)
    assert type(letter).get_by_id(letter.id).status == status and not letter.events.count()
