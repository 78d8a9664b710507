"""The count tables as rows to compare, and a recount of them from the letter events."""
from balai.letters.counting import recount
from balai.letters.models import LetterEvent
from balai.tally.models import ActiveMonth, ActiveResident, LetterDay, LetterMonth, StepTime
from balai.villages.models import Village

TABLES = (LetterDay, LetterMonth, StepTime, ActiveResident, ActiveMonth)


def table_rows():
    """{table: sorted rows without their ids}."""
    return {model._meta.table_name: sorted(
        tuple(str(value) for value in row[1:]) for row in model.select().tuples())
        for model in TABLES}


def recounted():
    """The tables emptied and counted again from every LetterEvent."""
    for model in TABLES:
        model.delete().execute()
    village = Village.current()
    recount(LetterEvent.counted(), village.id, village.timezone, lambda counts: counts.save())
    return table_rows()
