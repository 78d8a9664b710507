"""VillageModel is the one place a query is kept to its village: selects, gets, counts, joins,
aliases, updates and deletes see the current village's rows; new rows belong to it; across
villages every read sees all and every write is refused."""
import pytest

from balai.letters.models import LetterRequest
from balai.people.models import Person, User
from balai.villages.context import NoVillageChosen, across_villages, village_context
from tests.support.village import BUDI
from tests.support.villages import second_village


@pytest.fixture
def mekarjaya(app, db):
    return second_village(app)


def test_every_query_sees_its_own_village(mekarjaya):
    with village_context(1):
        budi_a = Person.get(Person.nik == BUDI)
        people_a = Person.select().count()
    with village_context(mekarjaya):
        budi_b = Person.get(Person.nik == BUDI)
        assert Person.get_or_none(Person.id == budi_a.id) is None
        assert Person.select().count() == people_a  # the same demo people, its own rows
        joined = User.select().join(Person).where(Person.nik == BUDI)
        assert [user.person_id for user in joined] == [budi_b.id]
        alias = Person.alias()
        assert alias.select().where(alias.id == budi_a.id).count() == 0
        assert Person.update(name="X").where(Person.id == budi_a.id).execute() == 0
        assert Person.delete().where(Person.id == budi_a.id).execute() == 0
        with pytest.raises(NoVillageChosen):
            budi_a.save()  # a row of another village
        made = Person.create(**{**budi_a.__data__, "id": None, "village": None,
                                "nik": "3213059999990001"})
        assert made.village_id == mekarjaya
    with village_context(1):
        assert Person.get_by_id(budi_a.id).name == budi_a.name


def test_across_villages_reads_all_and_writes_nothing(mekarjaya):
    with across_villages():
        assert Person.select().where(Person.nik == BUDI).count() == 2
        with pytest.raises(NoVillageChosen):
            Person.update(name="X").execute()
        with pytest.raises(NoVillageChosen):
            Person.delete().execute()
        with pytest.raises(NoVillageChosen):
            LetterRequest.create(purpose="x")


def test_with_several_villages_a_query_needs_one_chosen(mekarjaya):
    with pytest.raises(NoVillageChosen):
        Person.select().count()
