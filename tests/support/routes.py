"""Real objects for every URL argument of the app, and every GET URL filled with them: what the
route walks (every page for every role) go through."""
import datetime

from balai.demo import seed
from balai.letters import issuance
from balai.letters.kept import KeptDocument
from balai.letters.models import Attachment, LetterType
from balai.letters.partial_uploads import PartialUpload
from balai.letters.register import RegisterEntry
from balai.letters.uploads import upload_key
from balai.letters.workdays import DayOff
from balai.market.models import Product, ProductPhoto
from balai.market.qris import store_qris
from balai.media import process_image
from balai.news.models import News
from balai.notify.models import Notification
from balai.operator import population_import
from balai.people.models import Person, User
from balai.signing.models import SignerCertificate
from balai.storage import documents
from tests.support.files import image_bytes
from tests.support.market import place
from tests.support.qris import qr_png, qris_payload
from tests.support.spreadsheets import HEADER, csv_bytes, resident_rows
from tests.support.village import BUDI, make_request

ROLES = [None, "budi", "siti", "operator", "kasipem", "kasikesra", "sekdes", "kades",
         "kabupaten"]


def with_attachment(letter):
    att = Attachment.create(request=letter, requirement_key="ktp", original_name="ktp.jpg",
                            stored_name=f"route-{letter.id}.jpg", content_type="image/jpeg",
                            size=100)
    documents().put(upload_key(att.stored_name), image_bytes())
    return att


def kept_ktp(app, budi):
    """Budi's KTP in Dokumen saya (Siti keeps none)."""
    doc = KeptDocument.create(person=budi.person_id, kind="ktp", original_name="ktp.jpg",
                              stored_name="route-kept-ktp.jpg", content_type="image/jpeg",
                              size=100)
    with app.app_context():
        documents().put(upload_key(doc.stored_name), image_bytes())


def make_objects(app):
    """Real ids for every URL argument: a draft and an issued letter of Budi's, and the rest."""
    draft = make_request()
    issued = make_request(status="diperiksa")
    with app.test_request_context():
        kades = User.by_login("kades")
        signer = issuance.signer_of(kades, seed.DEMO_SIGNING_PASSPHRASE, app.config)
        issued = issuance.issue_letter(issued.id, kades, signer=signer)
        attachments = [with_attachment(draft), with_attachment(issued)]
        picture = process_image(image_bytes(size=(400, 300)))
        product_picture = process_image(image_bytes(size=(400, 300)))
        qris_name, qris = store_qris(qr_png(qris_payload()))
    product = Product.public().order_by(Product.id).first()
    ProductPhoto.create(product=product, key=product_picture.key, image=product_picture.as_dict())
    shop = product.shop  # the demo lapak takes its own QRIS too, and Budi pays by it
    shop.payments, shop.qris_file = "tunai,qris", qris_name
    shop.qris_merchant, shop.qris_city = qris.merchant, qris.city
    shop.save()
    order = place(product, payment="qris")  # Budi buys from a demo lapak
    news = News.select().first()
    news.image, news.image_key = picture.as_dict(), picture.key
    news.save()
    budi = User.by_login(BUDI)
    kept_ktp(app, budi)
    upload = PartialUpload.begin(draft, "ktp", "route-walk-upload", "ktp.jpg", 1000)
    day_off = DayOff.create(date=datetime.date(2026, 9, 8), reason="Sedekah bumi")
    return {
        "letters": [(draft, attachments[0]), (issued, attachments[1])],
        "token": issued.verify_token,
        "entry_id": RegisterEntry.get(RegisterEntry.request == issued).id,
        "notification_id": Notification.select().where(Notification.recipient == budi).first().id,
        "type_id": LetterType.get(LetterType.slug == "domisili").id,
        "person_id": Person.get(Person.nik == BUDI).id,
        "user_id": budi.id,
        "slug": news.slug,
        "name": news.image_set.names()[0],
        "key": "ktp",
        "product_id": product.id,
        "shop_id": product.shop_id,
        "order_id": order.id,
        "photo_name": product_picture.names()[0],
        "kind": "produk",
        "item_id": product.id,
        "cert_id": SignerCertificate.get().id,
        "upload_id": upload.upload_id,
        "figure": "permohonan",
        "village_id": 1,
        "day_id": day_off.id,
        "import_id": staged_import(app, User.by_login("operator")),
        "version": 0,  # a draft letter's preview images: none for these two (at no step)
        "page": 1,
    }


def staged_import(app, operator):
    """A population import in its preview, with a rejected row (for the rejected rows' CSV)."""
    rows = [HEADER, *resident_rows(3, name="Impor"), ["123", "456", ""]]
    with app.test_request_context():
        batch = population_import.begin(operator, "penduduk.csv", csv_bytes(rows), rows[0], {})
        mapping = {"0": "nik", "1": "kk_number", "2": "name", "4": "birth_date"}
        population_import.queue_with(batch, mapping)
        population_import.stage(batch.id)
    return batch.id


def urls(app, objects):
    """(endpoint, url) for every GET route, filled with real ids; request pages for each letter."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        args = {name: objects.get(name) for name in rule.arguments}
        if rule.endpoint == "news.category":
            args["name"] = "Pengumuman"
        if rule.endpoint == "market.photo":
            args["name"] = objects["photo_name"]
        for letter, attachment in objects["letters"]:
            args.update(request_id=letter.id, attachment_id=attachment.id)
            with app.test_request_context():
                yield rule.endpoint, app.url_for(rule.endpoint, **{
                    name: args[name] for name in rule.arguments})
            if "request_id" not in rule.arguments:
                break
