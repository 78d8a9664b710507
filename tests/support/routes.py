"""Real objects for every URL argument of the app, and every GET URL filled with them: what the
route walks (every page for every role) go through."""

from balai.demo import seed
from balai.letters import issuance
from balai.letters.models import Attachment, LetterType
from balai.letters.partial_uploads import PartialUpload
from balai.letters.register import RegisterEntry
from balai.letters.uploads import upload_key
from balai.market.models import Product, ProductPhoto
from balai.media import process_image
from balai.news.models import News
from balai.notify.models import Notification
from balai.people.models import Person, User
from balai.signing.models import SignerCertificate
from balai.storage import documents
from tests.support.files import image_bytes
from tests.support.market import place
from tests.support.village import BUDI, make_request

ROLES = [None, "budi", "siti", "operator", "kasipem", "kasikesra", "sekdes", "kades"]


def with_attachment(letter):
    att = Attachment.create(request=letter, requirement_key="ktp", original_name="ktp.jpg",
                            stored_name=f"route-{letter.id}.jpg", content_type="image/jpeg",
                            size=100)
    documents().put(upload_key(att.stored_name), image_bytes())
    return att


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
    product = Product.public().order_by(Product.id).first()
    ProductPhoto.create(product=product, key=product_picture.key, image=product_picture.as_dict())
    order = place(product)  # Budi buys from a demo lapak
    news = News.select().first()
    news.image, news.image_key = picture.as_dict(), picture.key
    news.save()
    budi = User.by_login(BUDI)
    upload = PartialUpload.begin(draft, "ktp", "route-walk-upload", "ktp.jpg", 1000)
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
        "version": 0,  # a draft letter's preview images: none for these two (at no step)
        "page": 1,
    }


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
