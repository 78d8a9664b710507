"""Many writers at once on the WAL database file: every write transaction begins IMMEDIATE, so
a transaction that reads and then writes waits its turn instead of failing at once with
"database is locked", and counters read and written in one transaction stay exact."""
import concurrent.futures
import re
import threading
import time
import urllib.error
import urllib.request

import pytest

from balai import db as database
from balai.letters.models import Attachment, LetterRequest, LetterType
from balai.letters.uploads import small_name
from balai.market.models import Product
from balai.notify import models as notify_models
from balai.notify.models import ContactPoint
from balai.people.models import User
from balai.signing.models import SignerCertificate, VerifyHit
from tests.support.files import image_bytes, upload
from tests.support.stored import stored_names
from tests.support.village import AHMAD, BUDI, SITI

RESIDENTS_AT_ONCE = 12
UPLOADS_EACH = 6


def run_together(jobs):
    """Start every job at the same moment, each in its own thread; their results in order."""
    barrier = threading.Barrier(len(jobs))

    def started(job):
        barrier.wait(30)
        return job()

    with concurrent.futures.ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(started, jobs))


def stored_uploads(app):
    return stored_names(app, "uploads")


def filing(client, letter_type_id, number):
    """One resident's whole request: start, answers, UPLOADS_EACH rounds of KTP and KK, send.
    Returns the failures (a server error or an exception) and the request id."""
    failures = []

    def post(url, **kwargs):
        try:
            response = client.post(url, **kwargs)
        except Exception as error:  # the test client re-raises what the app did not handle
            failures.append(f"{url}: {error!r}")
            return None
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
        return response

    created = post("/surat/baru", data={"letter_type": letter_type_id,
                                        "form_key": f"beban-{number}"})
    found = created and re.search(r"/surat/(\d+)/isian", created.headers.get("Location", ""))
    if not found:
        return failures or ["no request was made"], None
    request_id = int(found.group(1))
    post(f"/surat/{request_id}/isian", data={"keperluan": "Melamar pekerjaan"})
    for round_ in range(UPLOADS_EACH):
        post(f"/surat/{request_id}/syarat", content_type="multipart/form-data", data={
            "syarat-ktp": upload(image_bytes("PNG", color=(round_, number, 9)), "ktp.png"),
            "syarat-kk": upload(image_bytes("PNG", color=(number, round_, 7)), "kk.png")})
    post(f"/surat/{request_id}/ajukan")
    return failures, request_id


def test_twelve_residents_filing_at_once_all_succeed_and_leave_no_stray_file(app, db, login):
    """Before: several uploads a run answered 500, drafts stayed behind, files without a row."""
    residents = [login.as_((BUDI, SITI, AHMAD)[n % 3]) for n in range(RESIDENTS_AT_ONCE)]
    domisili = LetterType.get(LetterType.slug == "domisili").id
    before = stored_uploads(app)
    results = run_together([lambda n=n, client=client: filing(client, domisili, n)
                            for n, client in enumerate(residents)])
    failures = [failure for failed, _ in results for failure in failed]
    assert failures == [], f"{len(failures)} of {RESIDENTS_AT_ONCE * (UPLOADS_EACH + 3)} failed"
    sent = LetterRequest.select().where(LetterRequest.id.in_([rid for _, rid in results]))
    assert sorted(r.status for r in sent) == ["diajukan"] * RESIDENTS_AT_ONCE
    kept = {a.stored_name for a in Attachment.select()}
    assert len(kept) == 2 * RESIDENTS_AT_ONCE
    thumbnails = {small_name(name) for name in kept if not name.endswith(".pdf")}
    assert stored_uploads(app) - before == kept | thumbnails  # replaced files gone, none astray


def test_fifty_looks_at_once_on_the_verification_page_are_counted_exactly(app, db, live_server):
    """Before: some of 50 parallel looks answered 500 ("database is locked")."""
    def look():
        try:
            with urllib.request.urlopen(f"{live_server}/verifikasi", timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    answers = run_together([look] * 50)
    assert answers.count(500) == 0
    assert sorted(answers) == [200] * VerifyHit.LIMIT + [429] * (50 - VerifyHit.LIMIT)
    assert VerifyHit.select().count() == VerifyHit.LIMIT


def test_parallel_guesses_at_a_verification_code_are_each_counted(app, db, monkeypatch):
    """Before: each guess read the count before any other had written it, so twenty guesses
    in parallel were all checked and the count ended far below twenty."""
    real_check = notify_models.check_code

    def slow_check(stored, code):  # a busy server: the guesses overlap
        time.sleep(0.01)
        return real_check(stored, code)

    monkeypatch.setattr(notify_models, "check_code", slow_check)
    user = User.by_login(BUDI)
    point, code = ContactPoint.start_verification(user, "email", "budi@contoh.id")
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"

    def guess():
        with database.db.connection_context():
            return ContactPoint.get_by_id(point.id).verify(wrong)

    answers = run_together([guess] * 20)
    assert sum("Kode salah" in answer for answer in answers) == ContactPoint.CODE_ATTEMPTS
    assert ContactPoint.get_by_id(point.id).code_attempts == ContactPoint.CODE_ATTEMPTS
    assert ContactPoint.get_by_id(point.id).verify(code) is not None  # locked out now


def test_designating_a_certificate_keeps_a_deactivation_made_meanwhile(app, db):
    """Before: designate saved every field of the row it had read, switching it back on."""
    row = SignerCertificate.get()
    SignerCertificate.get_by_id(row.id).deactivate()
    assert row.designate("Kepala Desa", None, None) == {}
    assert SignerCertificate.get_by_id(row.id).active is False


@pytest.mark.parametrize("action, reason", [("setujui", ""), ("sembunyikan", "Foto buram")])
def test_moderating_a_product_keeps_stock_taken_meanwhile(app, db, action, reason):
    """Before: the decision saved the stock the operator's page had read, undoing a sale."""
    product = Product.select().where(Product.stock > 1).first()
    Product.update(stock=Product.stock - 1).where(Product.id == product.id).execute()
    with app.app_context():
        product.moderate(action, reason)
    assert Product.get_by_id(product.id).stock == product.stock - 1
