"""A large made-up village for load tests: many residents with accounts and years of letters,
each letter with the timeline of the steps it took (so step times are real) and counted into the
daily counts the way the events count live (balai.letters.counting).

Rows go in with insert_many, a few thousand per statement (on PostgreSQL with COPY), inside
transactions, so 100,000 residents and 1,000,000 letters take minutes. Every bulk account shares the demo password
(one precomputed hash). Running it again adds more, numbered after what is there.
"""
import datetime
import random

from balai.db import db
from balai.demo.seed import demo_password_hash
from balai.letters.counting import recount
from balai.letters.models import LetterEvent, LetterRequest, LetterType
from balai.letters.workflow import STEPS, TRANSITIONS
from balai.people.models import Person, User
from balai.villages.models import Village

NIK_PREFIX = "321306"  # Jawa Barat, Subang, a kecamatan the demo village does not use
CHUNK = 2000  # rows per INSERT: below SQLite's limit on bound parameters
IN_FLIGHT = 300  # letters still waiting for an official: a busy office, not a backlog
FINISHED = ["selesai"] * 90 + ["ditolak"] * 3 + ["dibatalkan"] * 4 + ["draf"] * 3
WAITING = [state for state, step in STEPS.items() if step.official]
FIRST_DAY = datetime.datetime(2021, 1, 1)
RECENT = datetime.timedelta(days=7)  # the newest letter is sent this long ago: its steps are past
OFFICIALS = {"kasi": "kasi_pem", "sekdes": "sekdes", "kades": "kades"}  # who takes each step
NAMES = ["Asep", "Dede", "Euis", "Iis", "Ujang", "Neng", "Cecep", "Yayan", "Entin", "Odah",
         "Rahmat", "Sri", "Agus", "Wati", "Dadang", "Nining"]


def chunks(rows, size=CHUNK):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert(model, fields, rows):
    """Insert generated rows, CHUNK per statement (on PostgreSQL: per COPY) and 50 statements
    per transaction, in the current village."""
    village = model.village.default()  # COPY takes no defaults: the village goes in by name
    fields, rows = [*fields, model.village], (tuple(row) + (village,) for row in rows)
    for statements in chunks(chunks(rows), 50):
        with db.atomic():
            for batch in statements:
                if db.engine == "postgresql":
                    db.copy_rows(model, fields, batch)
                else:
                    model.insert_many(batch, fields=fields).execute()


def nik(index):
    """A well-formed, unique NIK: the birth date moves on every 9,999 people."""
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=index // 9999)
    day = born.day + (40 if index % 2 else 0)  # women's NIKs add 40 to the day
    return f"{NIK_PREFIX}{day:02d}{born:%m%y}{index % 9999 + 1:04d}", born


def person_rows(start, count, rng):
    for index in range(start, start + count):
        number, born = nik(index)
        yield (number, f"3213060101{index:06d}", f"{rng.choice(NAMES)} {rng.choice(NAMES)}",
               "Subang", born, "P" if index % 2 else "L", f"Kp. Bulk {index % 40 + 1}",
               f"{index % 9 + 1:03d}", f"{index % 5 + 1:03d}", f"Dusun {index % 4 + 1}")


def seed_residents(count):
    """Add count residents, each with an active account; returns how many there are in all."""
    start = bulk_residents()
    rng = random.Random(start)
    insert(Person, [Person.nik, Person.kk_number, Person.name, Person.birth_place,
                    Person.birth_date, Person.sex, Person.address, Person.rt, Person.rw,
                    Person.dusun], person_rows(start, count, rng))
    new_people = list(Person.select(Person.id).where(Person.nik.startswith(NIK_PREFIX))
                      .order_by(Person.id).offset(start).tuples())
    password = demo_password_hash()
    insert(User, [User.person, User.role, User.active, User.password_hash],
           ((person_id, "warga", True, password) for (person_id,) in new_people))
    return start + count


def wait(rng):
    """How long a step waits: log-normal around 4 hours, at most 2 days."""
    return datetime.timedelta(hours=min(rng.lognormvariate(1.4, 1.1), 48))


def timeline(index, status, sent):
    """(action, from, to, role, at) of bulk letter `index` up to `status`; the same every time."""
    if status == "draf":
        return []
    rng, state, at = random.Random(index), "diajukan", sent
    events = [("ajukan", "draf", state, "warga", at)]
    if status == "dibatalkan":
        return events + [("batalkan", state, status, "warga", at + wait(rng))]
    while state != status:
        official, at = STEPS[state].official, at + wait(rng)
        action = "tolak" if status == "ditolak" else "setujui"
        after = TRANSITIONS[(state, action, official)]
        events.append((action, state, after, OFFICIALS[official], at))
        state = after
    if status == "selesai":
        events.append(("terbit", state, state, "kades", at))
    return events


def letter_rows(start, count, accounts, types, rng):
    span = (datetime.datetime.now() - RECENT - FIRST_DAY).total_seconds()
    for n in range(count):
        index = start + n
        person_id, user_id = rng.choice(accounts)
        type_id, code = rng.choice(types)
        at = FIRST_DAY + datetime.timedelta(seconds=span * n / count)
        status = rng.choice(WAITING) if n >= count - IN_FLIGHT else rng.choice(FINISHED)
        number = f"{code}/{index + 1:07d}/BULK" if status == "selesai" else None
        last = max([event[-1] for event in timeline(index, status, at)], default=at)
        yield (person_id, type_id, status, "Keperluan pribadi", {}, user_id, f"bulk{index:09d}",
               at, None if status == "draf" else at, last, number, last if number else None)


def event_rows(letters):
    """The timeline of each (id, form key, status, sent, filer) letter as LetterEvent rows."""
    for request_id, form_key, status, sent, filer in letters:
        for action, before, after, role, at in timeline(int(form_key[4:]), status, sent):
            yield (request_id, filer if role == "warga" else None, role, action, before, after,
                   "", at)


def seed_letters(count):
    """Add count letter requests spread over the last years, from bulk residents."""
    start = bulk_letters()
    accounts = list(User.select(User.person, User.id).join(Person)
                    .where(Person.nik.startswith(NIK_PREFIX)).tuples())
    if not accounts:
        raise ValueError("Belum ada warga massal: jalankan dulu dengan --residents.")
    types = list(LetterType.select(LetterType.id, LetterType.code).tuples())
    rng = random.Random(start)
    insert(LetterRequest, [LetterRequest.person, LetterRequest.letter_type, LetterRequest.status,
                           LetterRequest.purpose, LetterRequest.fields, LetterRequest.created_by,
                           LetterRequest.form_key, LetterRequest.created_at,
                           LetterRequest.submitted_at, LetterRequest.updated_at,
                           LetterRequest.number, LetterRequest.issued_at],
           letter_rows(start, count, accounts, types, rng))
    seed_events(f"bulk{start:09d}")
    return start + count


def analyze():
    """The planner's statistics of the new rows now, not when autovacuum gets to them."""
    if db.engine == "postgresql":
        db.execute_sql("ANALYZE")


def bulk_residents():
    """How many bulk residents the current village has."""
    return Person.select().where(Person.nik.startswith(NIK_PREFIX)).count()


def bulk_letters():
    """How many bulk letters the current village has."""
    return LetterRequest.select().where(LetterRequest.form_key.startswith("bulk")).count()


def seed_events(first_key):
    """The events of the bulk letters from `first_key` on, and what they add to the counts."""
    new = LetterRequest.form_key.startswith("bulk") & (LetterRequest.form_key >= first_key)
    letters = (LetterRequest.select(LetterRequest.id, LetterRequest.form_key, LetterRequest.status,
                                    LetterRequest.submitted_at, LetterRequest.created_by)
               .where(new).order_by(LetterRequest.id).tuples())
    insert(LetterEvent, [LetterEvent.request, LetterEvent.actor, LetterEvent.role,
                         LetterEvent.action, LetterEvent.from_status, LetterEvent.to_status,
                         LetterEvent.note, LetterEvent.at], event_rows(letters.iterator()))
    village = Village.current()

    def save(counts):
        with db.atomic():
            counts.save()
    recount(LetterEvent.counted().where(new).iterator(), village.id, village.timezone, save)
