"""Each village's notifications go out under its own sender name; a village without one (an
installation from before villages) sends as it always did."""
from balai.notify.channels import sender_address, whatsapp_text
from balai.notify.models import Notification
from balai.villages.context import village_context
from balai.villages.models import Village
from tests.support.villages import second_village

FROM = "Balai <balai@contoh.id>"


def test_the_from_carries_the_villages_sender_name(app, db):
    mekarjaya = Village.get_by_id(second_village(app))
    assert sender_address(mekarjaya, FROM) == "Desa Mekarjaya <balai@contoh.id>"
    assert sender_address(Village.get_by_id(1), FROM) == FROM  # no sender name: as before


def test_a_whatsapp_text_names_its_village(app, db):
    mekarjaya = second_village(app)
    with village_context(mekarjaya):
        text = whatsapp_text(Notification(message="Surat Anda selesai.", link=""))
    assert text == "Desa Mekarjaya:\nSurat Anda selesai."
    with village_context(1):
        assert whatsapp_text(Notification(message="Halo", link="")) == "Halo"
