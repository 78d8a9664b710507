"""The register when issuing is cut short: a number is provisional ("sementara") until the
letter's own commit issues it. A render killed by the server's timeout, a process killed outright,
a batch that runs long or a signing service that never answers leaves no number "terbit" that
no letter carries, and no gap without a reason."""
import contextlib
import datetime
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from balai.db import now
from balai.demo import seed
from balai.letters import issuance
from balai.letters.models import LetterEvent, LetterRequest, LetterType, WorkflowError
from balai.letters.register import PROVISIONAL_FOR, RegisterEntry
from balai.signing.models import SignerCertificate
from balai.villages.models import Village
from tests.support.signing import NIK, running_tte, slow
from tests.support.stored import stored_keys
from tests.support.village import AHMAD, BUDI, SITI, make_request

PASSPHRASE = seed.DEMO_SIGNING_PASSPHRASE
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def ctx(app, db):
    with app.app_context():
        yield app


def register_is_whole():
    """Terbit exactly when a letter carries the number; no gap; every void says why."""
    rows = list(RegisterEntry.select().order_by(RegisterEntry.seq))
    carried = {r.number for r in LetterRequest.select().where(LetterRequest.number.is_null(False))}
    assert [(row.number, row.status == "terbit") for row in rows] == \
        [(row.number, row.number in carried) for row in rows]
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    assert all(row.void_reason for row in rows if row.status == "batal")


def letter_files(app):
    return sorted(stored_keys(app, "letters/"))


def unchanged(letter):
    after = LetterRequest.get_by_id(letter.id)
    assert (after.status, after.number, after.pdf_file, after.version) == \
        ("diperiksa", None, None, letter.version)


@pytest.mark.parametrize("step", ["render", "sign", "commit"])
def test_a_step_killed_by_the_server_timeout_voids_its_number(ctx, kades_user, signer,
                                                             monkeypatch, step):
    """Before: SystemExit passed `except Exception`; the number stayed "terbit", no letter."""
    def killed(*args, **kwargs):
        raise SystemExit(1)

    target = {"render": (issuance, "render_letter"), "sign": (signer, "sign"),
              "commit": (LetterEvent, "create")}[step]  # commit: after the file was written
    monkeypatch.setattr(*target, killed)
    letter = make_request(status="diperiksa")
    with pytest.raises(SystemExit):
        issuance.issue_letter(letter.id, kades_user, "", letter.version, signer=signer)
    entry = RegisterEntry.get()
    assert entry.status == "batal" and "dihentikan" in entry.void_reason
    unchanged(letter)
    assert letter_files(ctx) == []
    register_is_whole()


def test_a_hostile_template_that_fails_to_render_voids_its_number(ctx, kades_user, signer):
    LetterType.update(body_template="{{ range(99999999) | list }}").execute()
    letter = make_request(status="diperiksa")
    with pytest.raises(issuance.TemplateBroken):
        issuance.issue_letter(letter.id, kades_user, "", letter.version, signer=signer)
    entry = RegisterEntry.get()
    assert entry.status == "batal" and entry.void_reason.startswith("Surat tidak jadi terbit")
    unchanged(letter)
    register_is_whole()


def abandoned(letter, minutes_ago):
    """A number taken by a process that was killed outright (no cleanup ran) minutes ago."""
    village = Village.current()
    entry = issuance.take_number(letter, village, village.localtime(now()))
    taken_at = now() - datetime.timedelta(minutes=minutes_ago)
    RegisterEntry.update(created_at=taken_at).where(RegisterEntry.id == entry.id).execute()
    return entry


def issue(kades_user, signer, nik=SITI):
    letter = make_request(status="diperiksa", nik=nik)
    return issuance.issue_letter(letter.id, kades_user, "", letter.version, signer=signer)


def test_the_next_number_voids_one_abandoned_by_a_killed_process(ctx, kades_user, signer):
    """Before: the abandoned number said "terbit" for ever, carried by no letter."""
    stale = abandoned(make_request(status="diperiksa"), PROVISIONAL_FOR.seconds // 60 + 1)
    working = abandoned(make_request(status="diperiksa", nik=AHMAD), 0)  # another issuer's
    assert issue(kades_user, signer).number.split("/")[1] == "003"
    assert RegisterEntry.get_by_id(stale.id).status == "batal"
    assert "terhenti" in RegisterEntry.get_by_id(stale.id).void_reason
    assert RegisterEntry.get_by_id(working.id).status == "sementara"


def test_the_sweep_settles_abandoned_numbers(ctx, kades_user, signer):
    stale = abandoned(make_request(status="diperiksa"), 60)
    carried = abandoned(make_request(status="selesai", nik=AHMAD), 60)
    LetterRequest.update(number=carried.number).where(
        LetterRequest.id == carried.request_id).execute()
    ctx.extensions["queue"].recover()
    assert RegisterEntry.get_by_id(stale.id).status == "batal"
    assert RegisterEntry.get_by_id(carried.id).status == "terbit"
    register_is_whole()


def test_a_number_voided_meanwhile_is_not_issued(ctx, kades_user, signer):
    """Before: the letter was issued with a number the register says is void."""
    letter = make_request(status="diperiksa")

    class VoidedMeanwhile:
        row = signer.row

        def sign(self, pdf, **kwargs):
            RegisterEntry.get().void("Dibatalkan oleh sapuan")
            return signer.sign(pdf, **kwargs)

    with pytest.raises(WorkflowError):
        issuance.issue_letter(letter.id, kades_user, "", letter.version, signer=VoidedMeanwhile())
    unchanged(letter)
    assert letter_files(ctx) == []
    register_is_whole()


KILLED_BATCH = """
import sys, time
from balai import create_app
from balai.db import db
from balai.letters import issuance
from balai.people.models import User
from balai.signing import keys
from balai.signing.models import SignerCertificate

app = create_app({"DATA_DIR": sys.argv[1], "STORAGE_URL": sys.argv[2], "SECRET_KEY": "test"})

def stuck(*args):
    print("rendering", flush=True)
    time.sleep(60)

issuance.render_letter = stuck
with app.app_context(), db.connection_context():
    kades = User.by_login("kades")
    signer = keys.unlock(SignerCertificate.current_for(kades), sys.argv[3])
    issuance.issue_many([(int(arg), 0) for arg in sys.argv[4:]], kades, signer)
"""


def test_killing_the_server_mid_batch_leaves_no_number_terbit(ctx, kades_user, signer):
    """Before: the killed batch's number said "terbit" though no letter carried it."""
    letters = [make_request(status="diperiksa", nik=nik) for nik in (BUDI, SITI)]
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_BATCH, ctx.config["DATA_DIR"], ctx.config["STORAGE_URL"],
         PASSPHRASE,
         *(str(letter.id) for letter in letters)],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE)
    assert child.stdout.readline().strip() == b"rendering"
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    entry = RegisterEntry.get()
    assert entry.status == "sementara"
    RegisterEntry.update(created_at=now() - 2 * PROVISIONAL_FOR).execute()
    assert issue(kades_user, signer, AHMAD).number.split("/")[1] == "002"
    assert RegisterEntry.get_by_id(entry.id).status == "batal"
    for letter in letters:
        unchanged(letter)
    register_is_whole()


def approve(client, letter):
    return client.post(f"/kotak-masuk/{letter.id}", data={
        "action": "setujui", "note": "", "passphrase": PASSPHRASE, "version": letter.version})


@pytest.fixture
def tte(app, db):
    row = SignerCertificate.get()
    row.nik = NIK
    row.save()
    with contextlib.ExitStack() as stack:
        with app.app_context():  # only to start it: inside one, requests would share a user
            server = stack.enter_context(running_tte(app, row))
        yield server


def test_a_signing_service_that_does_not_answer_holds_the_number_for_the_kades(
        app, db, kades, sekdes, tte):
    """Before: the number was given back and went to the next letter, though the service may
    have signed the first letter with it."""
    slow(app, tte)
    letter = make_request(status="diperiksa")
    response = approve(kades, letter)
    page = response.get_data(as_text=True)
    held = RegisterEntry.get()
    assert response.status_code == 503 and "tidak menjawab dalam 0.5 detik" in page
    assert held.status == "tertahan" and f"Nomor {held.number} ditahan" in page
    tte.mode = "ok"
    assert approve(kades, LetterRequest.get_by_id(letter.id)).status_code == 303
    assert LetterRequest.get_by_id(letter.id).number.split("/")[1] == "002"
    RegisterEntry.update(created_at=now() - 2 * PROVISIONAL_FOR).execute()
    app.extensions["queue"].recover()
    assert RegisterEntry.get_by_id(held.id).status == "tertahan"  # only the Kades settles it
    inbox = kades.get("/kotak-masuk").get_data(as_text=True)
    assert "Nomor surat tertahan" in inbox and held.number in inbox
    assert "layanan tanda tangan" in inbox
    url = f"/kotak-masuk/nomor/{held.id}/batal"
    assert sekdes.post(url, data={"note": "x"}).status_code == 403
    assert kades.post(url, data={"note": "Tidak ada di riwayat TTE"}).status_code == 303
    settled = RegisterEntry.get_by_id(held.id)
    assert settled.status == "batal" and "Tidak ada di riwayat TTE" in settled.void_reason
    assert "Nomor surat tertahan" not in kades.get("/kotak-masuk").get_data(as_text=True)
    register_is_whole()


def test_a_batch_stops_starting_letters_when_its_time_is_up(app, db, kades, monkeypatch):
    """Before: a batch ran on past the server's timeout, which killed it mid-letter."""
    clock = [0.0]
    real_render = issuance.render_letter

    def render_taking_forty_seconds(*args, **kwargs):
        clock[0] += 40
        return real_render(*args, **kwargs)

    monkeypatch.setattr(issuance, "monotonic", lambda: clock[0])
    monkeypatch.setattr(issuance, "render_letter", render_taking_forty_seconds)
    letters = [make_request(status="diperiksa", nik=nik) for nik in (BUDI, SITI, AHMAD)]
    response = kades.post("/kotak-masuk/tandatangani", data={
        "pilih": [f"{letter.id}:{letter.version}" for letter in letters],
        "passphrase": PASSPHRASE})
    page = response.get_data(as_text=True)
    assert "2 dari 3 surat terbit" in page and "waktu" in page
    assert LetterRequest.get_by_id(letters[2].id).status == "diperiksa"
    assert RegisterEntry.select().count() == 2
    register_is_whole()


def test_the_register_names_every_state_in_indonesian(operator, db):
    year = Village.current().localtime(now()).year
    for seq, status in enumerate(("terbit", "sementara", "tertahan", "batal"), start=1):
        RegisterEntry.create(year=year, seq=seq, number=f"470/{seq:03}", status=status,
                             void_reason="Alasannya" if status == "batal" else "")
    page = operator.get(f"/operator/register?tahun={year}").get_data(as_text=True)
    for label in ("Terbit", "Sedang dibuat", "Tertahan", "Batal"):
        assert label in page
    rows = operator.get(f"/operator/register.csv?tahun={year}").get_data(as_text=True)
    assert [line.split(",")[4] for line in rows.splitlines()[1:]] == \
        ["terbit", "sementara", "tertahan", "batal"]
