"""The count tables and the one way they grow: `Counts`, an accumulator saved by adding to the
rows that are there (INSERT ... ON CONFLICT DO UPDATE), the same for one event as it happens and
for a recount of many. Nothing here names a person: residents are kept as account ids, unique per
village and month, and their number per village and month moves as a new one is inserted.

Months and days are on the village's clock, months as "YYYY-MM"."""
import itertools
from collections import Counter

from peewee import EXCLUDED, CharField, DateField, IntegerField, fn

from balai.villages.models import VillageModel

CHUNK = 300  # rows per INSERT: below SQLite's limit on bound parameters
LETTER_COLUMNS = ("filed", "returned", "rejected", "issued")


class VillageTally(VillageModel):
    """A count table of a village (its key and its per-village indexes from VillageModel)."""


class LetterDay(VillageTally):
    """Per village, day and letter type: requests first filed, requests returned (the first
    time), rejected, and letters issued that day."""
    day = DateField()
    letter_type = CharField()  # the type's slug
    filed = IntegerField(default=0)
    returned = IntegerField(default=0)
    rejected = IntegerField(default=0)
    issued = IntegerField(default=0)

    KEY = ("village", "day", "letter_type")

    class Meta:
        indexes = ((("day", "letter_type"), True),)


class LetterMonth(VillageTally):
    """LetterDay summed by month, kept with it: the figures read a year of 300 villages as some
    30,000 rows instead of a million."""
    month = CharField()
    letter_type = CharField()
    filed = IntegerField(default=0)
    returned = IntegerField(default=0)
    rejected = IntegerField(default=0)
    issued = IntegerField(default=0)

    KEY = ("village", "month", "letter_type")

    class Meta:
        indexes = ((("month", "letter_type"), True),)


class StepTime(VillageTally):
    """Per village, month and step: how many decisions took a time in each bucket
    (balai.tally.buckets), from the request's arrival at the step to the decision."""
    month = CharField()
    step = CharField()  # the state the request waited in
    bucket = IntegerField()
    decisions = IntegerField(default=0)

    KEY = ("village", "month", "step", "bucket")

    class Meta:
        indexes = ((("month", "step", "bucket"), True),)


class ActiveResident(VillageTally):
    """A resident (their account's id, no foreign key: no way from here to a name) who filed a
    request or logged in during a month; one row per village, month and account. Only there to
    count each resident once: the figures read ActiveMonth."""
    month = CharField()
    account = IntegerField()

    KEY = ("village", "month", "account")

    class Meta:
        indexes = ((("month", "account"), True),)


class ActiveMonth(VillageTally):
    """Per village and month, how many ActiveResident rows there are: moved by the insert that
    adds one, so reading it never counts a million rows."""
    month = CharField()
    residents = IntegerField(default=0)

    KEY = ("village", "month")

    class Meta:
        indexes = ((("month",), True),)


def fields(model, names):
    return [getattr(model, name) for name in names]


def batches(rows, size=CHUNK):
    rows = iter(rows)
    while batch := list(itertools.islice(rows, size)):
        yield batch


def upsert(model, rows, added):
    """Insert rows (dicts by column name) or, where the model's KEY is taken, add the `added`
    columns to the row there."""
    target = fields(model, model.KEY)
    for batch in batches(rows):
        model.insert_many(batch).on_conflict(conflict_target=target, update={
            field: field + getattr(EXCLUDED, field.column_name)
            for field in fields(model, added)}).execute()


def inserted(model, rows, returned):
    """Insert the rows whose KEY is not taken yet; yields the `returned` columns of each row
    inserted (RETURNING: SQLite 3.35 or later)."""
    target = fields(model, model.KEY)
    for batch in batches(rows):
        yield from (model.insert_many(batch).on_conflict(conflict_target=target, action="NOTHING")
                    .returning(*fields(model, returned)).tuples().execute())


class Counts:
    """What some events add to the count tables, gathered in memory and saved in a few
    statements (inside the caller's transaction)."""

    def __init__(self):
        self.clear()

    def clear(self):
        self.letters = Counter()  # (village, day, letter type, column) -> n
        self.steps = Counter()  # (village, month, step, bucket) -> n
        self.residents = set()  # (village, month, account)

    def letter(self, village, day, letter_type, column):
        self.letters[(village, day, letter_type, column)] += 1

    def step(self, village, month, step, bucket):
        self.steps[(village, month, step, bucket)] += 1

    def resident(self, village, month, account):
        self.residents.add((village, month, account))

    def letter_rows(self, by_month=False):
        """LetterDay's rows, or by_month LetterMonth's."""
        rows = {}
        for (village, day, letter_type, column), n in self.letters.items():
            when = {"month": day.strftime("%Y-%m")} if by_month else {"day": day}
            row = rows.setdefault((village, tuple(when.values()), letter_type), {
                "village": village, **when, "letter_type": letter_type,
                **dict.fromkeys(LETTER_COLUMNS, 0)})
            row[column] += n
        return list(rows.values())

    def step_rows(self):
        return [{"village": village, "month": month, "step": step, "bucket": bucket,
                 "decisions": n} for (village, month, step, bucket), n in self.steps.items()]

    def resident_rows(self):
        return [{"village": village, "month": month, "account": account}
                for village, month, account in self.residents]

    def save(self):
        """Add these counts to the tables."""
        upsert(LetterDay, self.letter_rows(), LETTER_COLUMNS)
        upsert(LetterMonth, self.letter_rows(by_month=True), LETTER_COLUMNS)
        upsert(StepTime, self.step_rows(), ("decisions",))
        new = Counter(inserted(ActiveResident, self.resident_rows(), ("village", "month")))
        upsert(ActiveMonth, [{"village": village, "month": month, "residents": n}
                             for (village, month), n in new.items()], ("residents",))
        self.clear()

    def __bool__(self):
        return bool(self.letters or self.steps or self.residents)


def letter_sums(first, last, *by):
    """(*by, filed, returned, rejected, issued) over the months from first to last ("YYYY-MM"),
    summed by the named columns of LetterMonth ("month", "village", "letter_type")."""
    keys = fields(LetterMonth, by)
    return (LetterMonth.select(*keys, *(fn.SUM(f) for f in fields(LetterMonth, LETTER_COLUMNS)))
            .where(LetterMonth.month.between(first, last)).group_by(*keys).tuples())


def step_buckets(first, last):
    """(step, bucket, decisions) of the months from first to last, over every village."""
    return (StepTime.select(StepTime.step, StepTime.bucket, fn.SUM(StepTime.decisions))
            .where(StepTime.month.between(first, last))
            .group_by(StepTime.step, StepTime.bucket).tuples())


def active_sums(first, last, by):
    """(by, residents active) over the months from first to last, summed by "month" or
    "village"; a resident active in two months counts in each."""
    key = getattr(ActiveMonth, by)
    return (ActiveMonth.select(key, fn.SUM(ActiveMonth.residents))
            .where(ActiveMonth.month.between(first, last)).group_by(key).tuples())


def resident_seen(village, account, moment):
    """A resident's account (an id) was active at `moment` (naive UTC) in this Village."""
    counts = Counts()
    counts.resident(village.id, village.localtime(moment).strftime("%Y-%m"), account)
    counts.save()
