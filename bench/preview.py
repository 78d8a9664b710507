"""The draft letter preview: time to draw it (xhtml2pdf) and to turn it into page images
(pdfium), median over 20, and the bytes of each page image.

Run: .venv/bin/python bench/preview.py
"""
import datetime
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from balai import create_app, schema  # noqa: E402
from balai import db as database  # noqa: E402
from balai.demo import seed  # noqa: E402
from balai.letters import preview  # noqa: E402
from balai.letters.models import LetterRequest, LetterType  # noqa: E402
from balai.letters.pdf import render_draft  # noqa: E402
from balai.people.models import Person, User  # noqa: E402
from balai.storage import documents  # noqa: E402
from balai.villages.models import Village  # noqa: E402

RUNS = 20


def median_ms(work):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main():
    app = create_app({"TESTING": True, "DATA_DIR": tempfile.mkdtemp(), "SECRET_KEY": "bench"})
    schema.create_tables()
    with database.db.connection_context(), app.app_context():
        seed.seed_demo(documents(app))
        person = Person.select().first()
        letter = LetterRequest.create(
            person=person, letter_type=LetterType.get(LetterType.slug == "domisili"),
            status="diperiksa", purpose="Melamar pekerjaan", form_key="bench",
            created_by=User.get(User.person == person))
        village, today = Village.current(), datetime.date.today()
        draw_ms, pdf = median_ms(lambda: render_draft(letter, village, today))
        raster_ms, images = median_ms(lambda: preview.rasterise(pdf))
    print(f"draw (xhtml2pdf): {draw_ms:.0f} ms, {len(pdf)} bytes of PDF")
    print(f"page images (pdfium, {preview.WIDTH} px, 16 greys): {raster_ms:.0f} ms, "
          f"{[len(image) for image in images]} bytes")
    print(f"{datetime.datetime.now():%Y-%m-%d %H:%M}, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
