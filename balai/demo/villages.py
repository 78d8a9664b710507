"""Many made-up villages in one installation, for load tests (`flask seed-bulk --villages N
--residents-per-village M`): village 1 (the demo village, when `seed-demo` ran) and test villages
2..N (`desa-uji-002.desa.test`, ...) founded as the regency founds one (add_village, letter types
from the template village), each with its officials and the bulk data of balai.demo.bulk: M
residents with accounts and L letters with their timelines and daily counts.

Each village is filled in one transaction of its own, up to M and L: running it again after a
kill continues with the villages not yet filled (a half-filled one was rolled back whole) and
adds nothing to a village that is full.
"""
from balai.db import db
from balai.demo import bulk
from balai.demo.seed import demo_password_hash, seed_letter_types
from balai.founding.village import TEMPLATE_VILLAGE, add_village
from balai.people.models import User
from balai.villages.context import village_context
from balai.villages.models import Village

HOST = "desa-uji-{:03d}.desa.test"  # village n's host; village 1 gets one only if it has none
OFFICIALS = [("kasipem", "kasi_pem", "Kasi Pemerintahan"),
             ("kasikesra", "kasi_kesra", "Kasi Kesejahteraan"),
             ("sekdes", "sekdes", "Sekretaris Desa"),
             ("kades", "kades", "Kepala Desa")]  # the demo village's usernames, each village its own


def letters_per_village(residents):
    """The default: 300 villages of 5,000 residents make 1.5M residents and about 5M letters."""
    return residents * 10 // 3


def villages(count):
    """The ids of the `count` villages to fill: village 1 and test villages 2..count, each
    founded now if it is not there yet."""
    with db.atomic():
        first = Village.get_or_none(Village.id == TEMPLATE_VILLAGE) or Village.create()
        if first.host is None:  # with several villages each answers on its own host only
            first.host = HOST.format(1)
            first.save()
    with village_context(first.id):  # what the villages founded below copy
        seed_letter_types()
    ids = [first.id]
    for number in range(2, count + 1):
        village = Village.get_or_none(Village.host == HOST.format(number))
        if village is None:
            village, *_ = add_village(f"Desa Uji {number:03d}", HOST.format(number),
                                      from_template=True)
        ids.append(village.id)
    return ids


def fill(village_id, residents, letters):
    """Bring the village's bulk residents and letters up to these numbers, in one transaction;
    returns what it holds then: (residents, letters), or None when it was full already."""
    with village_context(village_id):
        had = bulk.bulk_residents(), bulk.bulk_letters()
        if had[0] >= residents and had[1] >= letters:
            return None
        with db.atomic():
            seed_officials()
            if residents > had[0]:
                bulk.seed_residents(residents - had[0])
            if letters > had[1]:
                bulk.seed_letters(letters - had[1])
        return bulk.bulk_residents(), bulk.bulk_letters()


def seed_officials():
    """The officials whose inboxes the letters wait in, if the village has none of its own."""
    password = demo_password_hash()
    for username, role, full_name in OFFICIALS:
        if not User.select().where(User.username == username).exists():
            User.create(username=username, role=role, full_name=full_name, active=True,
                        password_hash=password)
