"""Time to sign one letter (median over 50) and to check it, with P-256 and RSA 3072 keys.

Run: .venv/bin/python bench/signing.py
"""
import datetime
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xhtml2pdf import pisa  # noqa: E402

from balai import create_app, schema  # noqa: E402
from balai import db as database  # noqa: E402
from balai.demo import seed  # noqa: E402
from balai.people.models import User  # noqa: E402
from balai.signing import keys as signing  # noqa: E402
from balai.signing import pdf_check  # noqa: E402
from balai.signing.models import SignerCertificate  # noqa: E402
from balai.storage import documents  # noqa: E402

LETTERS = 50
LETTER_HTML = """<html><body><h2>PEMERINTAH DESA SUKAMAJU</h2><hr>
<h3 style="text-align:center">SURAT KETERANGAN DOMISILI</h3>
<p style="text-align:center">Nomor: 470/{n:03}/3213052001/XI/2026</p>
<p>Yang bertanda tangan di bawah ini Kepala Desa Sukamaju menerangkan bahwa Budi Santoso,
NIK 3213051508900001, benar berdomisili di Jl. Raya Sukamaju No. 12 RT 001 RW 002.</p>
<p>Demikian surat ini dibuat untuk dipergunakan sebagaimana mestinya.</p>
<p style="text-align:right">Sukamaju, 23 November 2026<br>Kepala Desa Sukamaju<br><br><br>
H. Ujang Suryana</p></body></html>"""


def render(n):
    out = io.BytesIO()
    pisa.CreatePDF(LETTER_HTML.format(n=n), dest=out)
    return out.getvalue()


def median_ms(samples):
    return statistics.median(samples) * 1000


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def bench(app, row, passphrase, label):
    letters = [render(n) for n in range(LETTERS)]
    with app.app_context():
        per_letter = []  # one approval: open the key with the passphrase, then sign
        checks = []
        for n, pdf in enumerate(letters):
            elapsed, signed = timed(lambda: signing.sign_pdf(pdf, row, passphrase,
                                                            verify_url=f"http://x/verifikasi/{n}"))
            per_letter.append(elapsed)
            elapsed, verdict = timed(pdf_check.check_pdf, signed)
            assert verdict.status == pdf_check.ASLI
            checks.append(elapsed)
        unlocked = signing.unlock(row, passphrase)
        batch_start = time.perf_counter()
        for pdf in letters:
            unlocked.sign(pdf)
        batch = time.perf_counter() - batch_start
    print(f"{label:9} sign (unlock+sign) median {median_ms(per_letter):6.1f} ms, "
          f"max {max(per_letter) * 1000:6.1f} ms | batch of {LETTERS} with one unlock "
          f"{batch / LETTERS * 1000:6.1f} ms/letter = {LETTERS / batch * 60:7.0f} letters/min | "
          f"check median {median_ms(checks):6.1f} ms  (PDF {len(letters[0]) // 1024} KB)")


def main():
    app = create_app({"TESTING": True, "DATA_DIR": tempfile.mkdtemp(), "SECRET_KEY": "bench"})
    schema.create_tables()
    with database.db.connection_context():
        seed.seed_demo(documents(app))
        kades = User.by_login("kades")
        row = SignerCertificate.current_for(kades)
        bench(app, row, seed.DEMO_SIGNING_PASSPHRASE, "P-256")
        ca = signing.village_ca(documents(app), seed.DEMO_SIGNING_PASSPHRASE, "Desa")
        row = signing.enroll(documents(app), ca, kades, "Kepala Desa", "sandi-rsa-3072",
                             key_type="rsa3072")
        bench(app, row, "sandi-rsa-3072", "RSA 3072")
    print(f"{datetime.datetime.now():%Y-%m-%d %H:%M}, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
