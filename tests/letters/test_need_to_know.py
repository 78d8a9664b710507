"""Need to know and separation of duties (ASVS chapter 8, UU PDP 27/2022).

The matrix: every route with a request (or a population record) in its URL, for every role,
for requests at each state of the route, returned, rejected, cancelled, and filed at the
counter. What each role should get is written here once from the rule, not read from the
code: an official sees a request only once it has reached their step, or when they filed it."""
import datetime
from types import SimpleNamespace

import pytest

from balai.db import now
from balai.demo import seed
from balai.letters import issuance, preview
from balai.letters.models import Attachment, LetterRequest
from balai.letters.preview import OFFICIAL_STEPS
from balai.letters.uploads import upload_key
from balai.notify.models import Notification
from balai.people.audit import AccessLogEntry
from balai.people.models import User
from balai.storage import documents
from tests.support.files import image_bytes
from tests.support.village import BUDI, SITI, make_request

ROLES = [None, "budi", "siti", "kasipem", "kasikesra", "sekdes", "kades", "operator"]
LOGINS = {"budi": BUDI, "siti": SITI}  # officials log in with their username
RESIDENTS = {"budi", "siti"}
INBOX = {"kasipem", "kasikesra", "sekdes", "kades"}
SENT = [("ajukan", "applicant")]
AT_SEKDES = SENT + [("setujui", "kasipem")]
AT_KADES = AT_SEKDES + [("setujui", "sekdes")]


def scenario(moves, sees, person="budi", slug="domisili", filer=None):
    return SimpleNamespace(moves=moves, sees=sees, person=person, slug=slug, filer=filer)


# Who may see each request by the rule: its applicant side (the resident, and the official who
# filed it at the counter), and the officials whose step on its route it has reached. The Kasi
# step is the letter type's Kasi, except when that Kasi filed it: then the other Kasi's.
SCENARIOS = {
    "draf": scenario([], {"budi"}),
    "diajukan": scenario(SENT, {"budi", "kasipem"}),
    "diverifikasi": scenario(AT_SEKDES, {"budi", "kasipem", "sekdes"}),
    "diperiksa": scenario(AT_KADES, {"budi", "kasipem", "sekdes", "kades"}),
    "selesai": scenario(AT_KADES + [("terbit", "kades")], {"budi", "kasipem", "sekdes", "kades"}),
    "dikembalikan oleh sekdes": scenario(AT_SEKDES + [("kembalikan", "sekdes")],
                                         {"budi", "kasipem", "sekdes"}),
    "ditolak oleh kasi": scenario(SENT + [("tolak", "kasipem")], {"budi", "kasipem"}),
    "dibatalkan": scenario(SENT + [("batalkan", "applicant")], {"budi", "kasipem"}),
    "kesra": scenario(SENT, {"budi", "kasikesra"}, slug="tidak-mampu"),
    "loket kasipem": scenario(SENT, {"siti", "kasipem", "kasikesra"}, person="siti",
                              filer="kasipem"),
    "loket kasipem diverifikasi": scenario(SENT + [("setujui", "kasikesra")],
                                           {"siti", "kasipem", "kasikesra", "sekdes"},
                                           person="siti", filer="kasipem"),
}
EDITABLE = {"draf", "dikembalikan"}
CANCELLABLE = {"draf", "diajukan", "dikembalikan"}
# What each POST sends: nothing it could change (a stale version, a missing reason, no file).
POSTS = {"letters.details": {"keperluan": ""}, "letters.requirements": {},
         "letters.remove_attachment": {}, "letters.submit": {"version": -1},
         "letters.cancel": {"version": -1}, "inbox.act": {"action": "setujui", "version": -1},
         "documents.revoke": {"note": ""}, "letters.open_anyway": {"alasan": ""},
         "people.edit": {}, "syarat_uploads.begin": {}, "letters.use_kept": {}}
LOGIN = "login"  # an anonymous visitor is sent to the login page


def expected(endpoint, method, case, role, status):
    """The answer the rule gives `role` on this route for a request of this case."""
    if role is None:
        return LOGIN
    get = method == "GET"
    refused = 404 if role in RESIDENTS else 403
    issued = status == "selesai"
    if endpoint in ("inbox.detail", "inbox.act"):
        return (200 if get else 409) if role in INBOX & case.sees else 403
    if endpoint.startswith("letter_preview."):  # the draft letter, made below for each case
        if role not in INBOX & case.sees:
            return 403
        return 200 if endpoint == "letter_preview.status" or status in OFFICIAL_STEPS else 404
    if endpoint in ("letters.open_anyway", "people.edit", "people.family"):
        return (200 if get else 422) if role == "operator" else 403
    if endpoint == "documents.revoke":
        if not issued:
            return 404
        return (200 if get else 422) if role in ("kades", "operator") else refused
    if endpoint == "documents.letter_pdf":
        return (200 if role in case.sees else refused) if issued else 404
    if endpoint in ("letters.show", "letters.attachment"):
        return 200 if role in case.sees else refused
    if role not in (case.person, case.filer):  # the applicant side's own pages
        return refused
    if endpoint == "syarat_uploads.begin":  # no upload id: refused before anything is kept
        return 400 if status in EDITABLE else 422
    if endpoint == "syarat_uploads.status":  # an upload id nobody began
        return 404
    if endpoint == "letters.use_kept":  # nobody here kept a document (and no official may)
        return 404 if status in EDITABLE else 303
    if endpoint == "letters.cancel":
        return 200 if get and status in CANCELLABLE else 303
    if endpoint in ("letters.details", "letters.requirements", "letters.check"):
        return (200 if get else 422) if status in EDITABLE else 303
    return 303  # remove_attachment, submit


def user(login):
    return User.by_login(LOGINS.get(login, login))


def with_scan(req):
    """The request's KTP, uploaded (the KK, also required, is left out)."""
    att = Attachment.create(request=req, requirement_key="ktp", original_name="ktp.jpg",
                            stored_name=f"ntk-{req.id}.jpg", content_type="image/jpeg", size=100)
    documents().put(upload_key(att.stored_name), image_bytes())
    return att


def build(app, case):
    """A request of this case, made and moved as the workflow does it; with its scan."""
    req = make_request(nik=LOGINS[case.person], slug=case.slug)
    if case.filer:
        req.created_by = user(case.filer)
        req.save()
    with app.test_request_context():
        scan = with_scan(req)
        for action, who in case.moves:
            req = LetterRequest.get_by_id(req.id)
            actor = user(case.filer or case.person) if who == "applicant" else user(who)
            if action == "terbit":
                signer = issuance.signer_of(actor, seed.DEMO_SIGNING_PASSPHRASE, app.config)
                issuance.issue_letter(req.id, actor, signer=signer)
            else:
                req.apply(action, actor, note="Alasan yang jelas", category="lainnya")
    return LetterRequest.get_by_id(req.id), scan


def id_routes(app):
    """(endpoint, method, rule) for every route with a request or a person in its URL."""
    for rule in app.url_map.iter_rules():
        if {"request_id", "person_id"} & rule.arguments:
            for method in ("GET", "POST"):
                if method in rule.methods:
                    yield rule.endpoint, method, rule


def answer(response):
    if response.status_code == 302 and "/masuk" in response.location:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_every_id_route_answers_every_role_by_the_rule(request, app, db, role):
    built = {name: build(app, case) for name, case in SCENARIOS.items()}
    with app.test_request_context():
        for req, _ in built.values():
            if preview.preview_of(req) is not None:  # at an official's step: made now
                preview.render(req.id, req.version)
    client = request.getfixturevalue(role) if role else app.test_client()
    wrong, seen = [], set()
    for endpoint, method, rule in id_routes(app):
        seen.add(endpoint)
        for name, (req, scan) in built.items():
            args = {"request_id": req.id, "attachment_id": scan.id, "key": "kk",
                    "person_id": req.person_id, "upload_id": "tidak-pernah-dimulai",
                    "version": req.version, "page": 1}
            with app.test_request_context():
                url = app.url_for(endpoint, **{arg: args[arg] for arg in rule.arguments})
            response = (client.get(url) if method == "GET"
                        else client.post(url, data=POSTS[endpoint]))
            want = expected(endpoint, method, SCENARIOS[name], role, req.status)
            if answer(response) != want:
                wrong.append(f"{method} {url} ({endpoint}, {name}): {answer(response)}, "
                             f"the rule says {want}")
    assert not wrong, "\n".join(wrong)
    assert seen == {"letters.details", "letters.requirements", "letters.remove_attachment",
                    "letters.check", "letters.submit", "letters.show", "letters.open_anyway",
                    "letters.cancel", "letters.attachment", "inbox.detail", "inbox.act",
                    "documents.letter_pdf", "documents.revoke", "people.edit", "people.family",
                    "syarat_uploads.begin", "syarat_uploads.status", "letters.use_kept",
                    "letter_preview.status", "letter_preview.page"}
    for req, _ in built.values():  # nothing the matrix sent changed a request
        again = LetterRequest.get_by_id(req.id)
        assert (again.status, again.version, again.revoked_at) == (req.status, req.version, None)
        assert again.attachments.count() == 1


def test_the_inbox_lists_what_the_request_page_lets_each_official_decide(app, db):
    """The inbox's query and the request's own rule agree on whose step a request waits at."""
    built = {name: build(app, case) for name, case in SCENARIOS.items()}
    for login in INBOX:
        official = user(login)
        listed = {req.id for req in LetterRequest.inbox_for(official)}
        for name, (req, _) in built.items():
            assert (req.id in listed) == req.waits_for(official), (login, name)
            if req.waits_for(official):
                assert req.can_view(official), (login, name)


# Separation of duties

def filed_by(login, nik=SITI, slug="domisili"):
    req = make_request(nik=nik, slug=slug)
    req.created_by = user(login)
    req.save()
    req.apply("ajukan", user(login))
    return LetterRequest.get_by_id(req.id)


def told(req, login):
    return Notification.select().where((Notification.recipient == user(login))
                                       & Notification.link.endswith(f"/{req.id}")).exists()


def test_a_request_its_own_kasi_filed_goes_to_the_other_kasi(db, kasipem, kasikesra):
    req = filed_by("kasipem")
    assert req.status_label == "Menunggu pemeriksaan Kasi Kesra"
    assert f"/kotak-masuk/{req.id}" not in kasipem.get("/kotak-masuk").get_data(as_text=True)
    assert f"/kotak-masuk/{req.id}" in kasikesra.get("/kotak-masuk").get_data(as_text=True)
    assert told(req, "kasikesra") and not told(req, "kasipem")
    refused = kasipem.post(f"/kotak-masuk/{req.id}", data={"action": "setujui",
                                                           "version": req.version})
    assert refused.status_code == 403 and LetterRequest.get_by_id(req.id).status == "diajukan"
    kasikesra.get(f"/kotak-masuk/{req.id}")  # the Kasi approves what they opened
    approved = kasikesra.post(f"/kotak-masuk/{req.id}", data={"action": "setujui",
                                                              "version": req.version})
    assert approved.status_code == 303
    assert LetterRequest.get_by_id(req.id).status == "diverifikasi"


def test_a_request_the_other_kasi_filed_stays_with_its_own_kasi(db):
    req = filed_by("kasikesra")  # a Pemerintahan letter: the Kasi Kesra did not check it
    assert req.kasi_role == "kasi_pem" and req.waits_for(user("kasipem"))
    assert not req.waits_for(user("kasikesra"))


@pytest.mark.parametrize("filer, step", [("sekdes", "diverifikasi"), ("kades", "diperiksa")])
def test_whoever_filed_a_request_decides_no_step_of_it(db, request, filer, step):
    req = filed_by(filer)
    req.status = step  # it reached the filer's own step
    req.save()
    client = request.getfixturevalue(filer)
    assert req.roles_of(user(filer)) == {"pemohon"} and not req.waits_for(user(filer))
    assert f"/kotak-masuk/{req.id}" not in client.get("/kotak-masuk").get_data(as_text=True)
    response = client.post(f"/kotak-masuk/{req.id}", data={
        "action": "setujui", "version": req.version, "passphrase": seed.DEMO_SIGNING_PASSPHRASE})
    assert response.status_code == 403 and LetterRequest.get_by_id(req.id).status == step
    assert req.undecidable  # only they hold the step: it waits, and its pages say so
    page = client.get(f"/surat/{req.id}").get_data(as_text=True)
    assert "Belum ada pejabat yang dapat memutuskan langkah ini" in page


def test_a_step_with_someone_else_to_decide_it_says_nothing_of_the_kind(db, kasipem):
    req = filed_by("operator")
    assert not req.undecidable
    assert "Belum ada pejabat" not in kasipem.get(f"/surat/{req.id}").get_data(as_text=True)


# The operator: the register, not residents' scans, unless they give a reason

def test_the_operator_opens_a_residents_request_only_with_a_reason(app, db, operator):
    req, scan = build(app, SCENARIOS["selesai"])
    other, _ = build(app, SCENARIOS["diajukan"])
    urls = [f"/surat/{req.id}", f"/surat/{req.id}/lampiran/{scan.id}", f"/surat/{req.id}/unduh"]
    for url in urls:
        refused = operator.get(url)
        assert refused.status_code == 403
        assert f'action="/surat/{req.id}/buka"' in refused.get_data(as_text=True)
    assert not AccessLogEntry.select().exists()

    empty = operator.post(f"/surat/{req.id}/buka", data={"alasan": "  "})
    assert empty.status_code == 422 and "Tuliskan alasan" in empty.get_data(as_text=True)
    opened = operator.post(f"/surat/{req.id}/buka", data={"alasan": "Warga minta dicetak ulang"})
    assert opened.status_code == 303 and opened.location.endswith(f"/surat/{req.id}")
    for url in urls:
        assert operator.get(url).status_code == 200, url
    assert operator.get(f"/surat/{other.id}").status_code == 403  # one reason, one request
    written = [(e.kind, e.reason) for e in AccessLogEntry.select().order_by(AccessLogEntry.id)]
    assert written == [(kind, "Warga minta dicetak ulang")
                       for kind in ("permohonan", "permohonan", "lampiran", "surat")]

    AccessLogEntry.update(at=now() - datetime.timedelta(minutes=31)).execute()
    assert operator.get(urls[0]).status_code == 403  # the reason holds for one sitting


@pytest.mark.parametrize("who", ["kasikesra", "sekdes", "budi"])
def test_only_the_operator_may_open_anyway(db, request, who):
    req = filed_by("kasipem", nik=BUDI)
    client = request.getfixturevalue(who)
    assert client.get(f"/surat/{req.id}/buka").status_code == 403
    assert client.post(f"/surat/{req.id}/buka", data={"alasan": "Ingin tahu"}).status_code == 403
    assert not AccessLogEntry.select().where(AccessLogEntry.typed).exists()


def test_the_revoke_page_sends_the_operator_back_to_the_register(app, db, operator):
    req, _ = build(app, SCENARIOS["selesai"])
    page = operator.get(f"/surat-terbit/{req.id}/cabut").get_data(as_text=True)
    assert 'href="/operator/register"' in page and f'href="/surat/{req.id}"' not in page



@pytest.mark.parametrize("role", ROLES)
def test_figures_and_the_access_logs_resident_filter_by_role(app, db, request, role):
    """Figures count, they never name: the Kades, Sekdes and operator read them; who opened a
    resident's data (the access log, by a person id in its query) is the operator's alone."""
    req, _ = build(app, SCENARIOS["dikembalikan oleh sekdes"])
    client = request.getfixturevalue(role) if role else app.test_client()
    figures = client.get("/angka/")
    log = client.get(f"/operator/log-akses?penduduk={req.person_id}")
    refused = LOGIN if role is None else 403
    assert answer(figures) == (200 if role in ("kades", "sekdes", "operator") else refused)
    assert answer(log) == (200 if role == "operator" else refused)
    if figures.status_code == 200:
        page = figures.get_data(as_text=True)
        assert "Alasan yang jelas" not in page and req.person.name not in page
