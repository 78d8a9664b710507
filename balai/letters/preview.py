"""The letter as it will print, shown to the officials who decide it: the draft (pdf.py's
render_draft) rasterised into one image per page by the worker, kept per version of the request.

A row per request names the version its images are of and how many pages are ready (0 while
they are made). The page that shows them asks for them (`wanted`), which queues the render once,
and again when the version moved on or a render was lost (asked over LOST_AFTER ago, still not
ready); the worker's start-up queues every render asked for and not ready. Old versions' images
go on the next render, and the sweep removes any image no row names."""
import datetime
import io
import math
import threading

from flask import current_app
from peewee import DateTimeField, ForeignKeyField, IntegerField

from balai.db import db, now
from balai.letters.models import LetterRequest
from balai.letters.pdf import PAPER_SIZES, render_draft
from balai.letters.workflow import STEPS
from balai.storage import PREVIEWS, delete_documents, documents, village_folder
from balai.villages.models import Village, VillageModel

WIDTH = 800  # pixels: readable on a phone, zoomable to a printed line
LOST_AFTER = datetime.timedelta(minutes=2)
OFFICIAL_STEPS = [state for state, step in STEPS.items() if step.official]

# One render at a time per process: xhtml2pdf and pdfium each take one document at a time, and
# a second ask for the same preview finds it made once the first is done.
_one_render = threading.Lock()


class LetterPreview(VillageModel):
    """The draft images of one request, for `version` of it; pages = 0 while they are made."""
    request = ForeignKeyField(LetterRequest, unique=True, on_delete="CASCADE")
    version = IntegerField()
    pages = IntegerField(default=0)
    asked_at = DateTimeField(default=now)

    @property
    def height(self):
        """The images' height in pixels, by the village's paper (for the page's layout)."""
        width, height = (float(mm.removesuffix("mm")) for mm in
                         PAPER_SIZES.get(Village.current().paper, PAPER_SIZES["A4"]).split())
        return math.ceil(WIDTH * height / width)  # as pdfium rounds

    @classmethod
    def wanted(cls, letter):
        """The ready preview of the request as it is now, or None when it is being made: the
        render is asked for (True is returned as `queue`) when it is new or was lost."""
        row = cls.get_or_none(cls.request == letter.id)
        if row and row.version == letter.version and row.pages:
            return row, False
        if row and row.version == letter.version and now() - row.asked_at < LOST_AFTER:
            return None, False
        with db.atomic():
            (cls.insert(request=letter.id, version=letter.version, pages=0, asked_at=now())
             .on_conflict(conflict_target=[cls.village, cls.request],
                          update={cls.version: letter.version, cls.pages: 0,
                                  cls.asked_at: now()})
             .execute())
        return None, True

    @classmethod
    def lost(cls, request_id):
        """Its images are gone (a backup restored without them): made again when next asked."""
        with db.atomic():
            cls.update(pages=0, asked_at=now() - LOST_AFTER).where(
                cls.request == request_id).execute()

    @classmethod
    def unfinished(cls, horizon=None):
        """(request id, version) of each render asked for, not ready, of a request still there."""
        query = (cls.select(cls.request, cls.version).join(LetterRequest)
                 .where((cls.pages == 0) & (LetterRequest.version == cls.version)
                        & LetterRequest.status.in_(OFFICIAL_STEPS)).tuples())
        return [((request_id, version), None) for request_id, version in query]

    @classmethod
    def current_keys(cls):
        """The image keys of every ready preview of a request still at that version and step."""
        query = (cls.select(cls.request, cls.version, cls.pages).join(LetterRequest)
                 .where((cls.pages > 0) & (LetterRequest.version == cls.version)
                        & LetterRequest.status.in_(OFFICIAL_STEPS)).tuples())
        return {page_key(request_id, version, page)
                for request_id, version, pages in query for page in range(1, pages + 1)}


def preview_of(letter):
    """The request's preview: ready (pages > 0), or not yet (pages = 0; its render asked for
    when new or lost); None for a request at no official's step, which has no draft to show."""
    if letter.status not in OFFICIAL_STEPS:
        return None
    row, queue = LetterPreview.wanted(letter)
    if queue:
        current_app.extensions["queue"].enqueue("render_preview", letter.id, letter.version)
        row, _ = LetterPreview.wanted(letter)  # made already by a quick (or inline) worker
    return row or LetterPreview(request=letter.id, version=letter.version, pages=0)


def page_key(request_id, version, page):
    return f"{village_folder(PREVIEWS)}/{request_id}/{version}-{page}.png"


def rasterise(pdf):
    """Each page of the PDF as a PNG WIDTH pixels wide, in 16 greys (small, and sharp text).
    Called under _one_render. pdfium (10 MB) is loaded here, in the worker, not by every web
    process that imports this module."""
    import pypdfium2
    images = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            bitmap = page.render(scale=WIDTH / page.get_width(), grayscale=True)
            image = bitmap.to_pil().convert("L").quantize(16, dither=0)
            buffer = io.BytesIO()
            image.save(buffer, "PNG", optimize=True, bits=4)
            images.append(buffer.getvalue())
            page.close()
    finally:
        document.close()
    return images


def render(request_id, version):
    """Make the preview of `version` of the request, unless it moved on or is made already."""
    with _one_render:
        _render(request_id, version)


def _render(request_id, version):
    letter = LetterRequest.get_or_none(LetterRequest.id == request_id)
    row = LetterPreview.get_or_none(LetterPreview.request == request_id)
    if (letter is None or letter.version != version or letter.status not in OFFICIAL_STEPS
            or (row and row.version == version and row.pages)):
        return
    village = Village.current()
    images = rasterise(render_draft(letter, village, village.localtime(now()).date()))
    for page, image in enumerate(images, 1):
        documents().put(page_key(request_id, version, page), image)
    with db.atomic():
        LetterPreview.update(pages=len(images)).where(
            (LetterPreview.request == request_id) & (LetterPreview.version == version)).execute()
    mine = {page_key(request_id, version, page) for page in range(1, len(images) + 1)}
    delete_documents(*[key for key, _ in documents().listing(f"{village_folder(PREVIEWS)}/{request_id}/")
                       if key not in mine])
