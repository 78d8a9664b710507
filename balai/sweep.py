"""Which documents rows name, and the sweep that removes the rest.

A document is written just before the row that names it commits, so one whose row never
committed (a process killed outright, a database error) is left behind. The worker removes any
document under uploads/, letters/, keys/ or previews/ that no row names once it is older than STRAY_GRACE,
in the folder or the bucket alike (it lists them with their time of writing)."""
import datetime
import time

from peewee import Value

from balai.letters.issuance import letter_key
from balai.letters.kept import KeptDocument
from balai.letters.models import Attachment, LetterRequest
from balai.letters.preview import LetterPreview
from balai.letters.uploads import small_name, upload_key
from balai.market.models import ProductPhoto, Shop
from balai.market.qris import qris_key
from balai.media import ImageSet, image_key, logo_key
from balai.news.models import News
from balai.queue import once_if
from balai.signing.keys import CA_FILE, CA_PEM_FILE, key_file_key
from balai.signing.models import SignerCertificate
from balai.storage import (
    FIRST_VILLAGE,
    KEYS,
    LETTERS,
    PREVIEWS,
    UPLOADS,
    VILLAGES,
    delete_documents,
    documents,
)
from balai.villages.context import across_villages, village_context
from balai.villages.models import Village

STRAY_GRACE = datetime.timedelta(hours=1)
SWEPT = (UPLOADS, LETTERS, KEYS, PREVIEWS, VILLAGES)  # uploads/ holds uploads/images/ too
# A column that comes to name a stored document belongs here, with the key of a name in it.
NAMING_COLUMNS = [(Attachment.stored_name, upload_key), (KeptDocument.stored_name, upload_key),
                  (Village.logo, logo_key),
                  (LetterRequest.pdf_file, letter_key), (SignerCertificate.key_file, key_file_key),
                  (Shop.qris_file, qris_key)]
PHOTO_COLUMNS = [News.image, ProductPhoto.image]  # an ImageSet's files each
SCANS = [Attachment.stored_name, KeptDocument.stored_name]  # a picture's thumbnail beside it


def names_in(column, database=None):
    """(village id, name) of the names in a column of every village, of the app's database or
    `database` (a backup's copy): none in a database from a version before the column or its
    table was made (the backup that migrate takes before the step adding it, or an old backup);
    the first village's in one from before villages were kept apart."""
    database = database or column.model._meta.database
    table = column.model._meta.table_name
    columns = {found.name for found in database.get_columns(table)} if (
        database.table_exists(table)) else set()
    if column.column_name not in columns:
        return []
    model = column.model
    if model is Village:
        village = model.id
    else:
        village = model.village if "village_id" in columns else Value(FIRST_VILLAGE)
    with across_villages():
        query = model.select(village, column).where(column.is_null(False)).tuples()
        return [(village_id, value) for village_id, value in query.bind(database) if value]


def keyed(village_id, key, name):
    with village_context(village_id):
        return key(name)


def named_keys(database=None):
    """The key of every document a row names (in `database`, by default the app's)."""
    named = {keyed(village, key, name) for column, key in NAMING_COLUMNS
             for village, name in names_in(column, database)}
    return named | {keyed(village, image_key, name) for column in PHOTO_COLUMNS
                    for village, image in names_in(column, database)
                    for name in ImageSet.from_dict(image).names()}


def kept_keys():
    """What the sweep keeps: the named, a scan's thumbnail, each village's CA, the draft
    letters' images of requests still at that version and step."""
    thumbnails = {keyed(village, upload_key, small_name(name)) for column in SCANS
                  for village, name in names_in(column)}
    kept = named_keys() | thumbnails
    with across_villages():
        villages = [village.id for village in Village.select(Village.id)]
    for village_id in villages:
        with village_context(village_id):
            kept |= (LetterPreview.current_keys()
                     | {key_file_key(CA_FILE), key_file_key(CA_PEM_FILE)})
    return kept


def stray_keys():
    """Documents older than STRAY_GRACE that no row names."""
    before = time.time() - STRAY_GRACE.total_seconds()
    kept = kept_keys()
    return [key for folder in SWEPT for key, modified in documents().listing(f"{folder}/")
            if key not in kept and modified < before]


def register(queue):
    @queue.task()
    def remove_stray_files():
        """Remove the documents no row names; the rows are read again, so it is safe to repeat."""
        delete_documents(*stray_keys())

    queue.add("remove_stray_files", remove_stray_files, lambda horizon: once_if(stray_keys()),
              across=True)
