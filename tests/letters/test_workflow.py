"""The state table: every (state, action, user) either moves as TRANSITIONS says or is refused."""
import pytest

from balai.letters.models import (
    NOTE_MAX,
    STEPS,
    TRANSITIONS,
    InvalidNote,
    OutOfTurn,
    WorkflowError,
)
from balai.people.models import User
from tests.support.village import BUDI, SITI, make_request

ACTIONS = sorted({action for (_, action, _) in TRANSITIONS})
# Each demo user and the workflow role they hold on Budi's Surat Keterangan Domisili (Kasi Pem).
USERS = {BUDI: "pemohon", SITI: None, "kasipem": "kasi", "kasikesra": None, "sekdes": "sekdes",
         "kades": "kades", "operator": None}


def user(login):
    return User.by_login(login)


@pytest.mark.parametrize("state", list(STEPS))
def test_every_transition_of_a_state(db, state):
    for action in ACTIONS:
        for login, role in USERS.items():
            letter = make_request(status=state)
            expected = TRANSITIONS.get((state, action, role))
            if expected:
                event = letter.apply(action, user(login), note="Alasan cukup jelas",
                                     seen_version=0, category="lainnya")
                letter = type(letter).get_by_id(letter.id)
                assert (letter.status, letter.version) == (expected, 1), (state, action, login)
                assert (event.from_status, event.to_status) == (state, expected)
            else:
                with pytest.raises(OutOfTurn):
                    letter.apply(action, user(login), note="Alasan cukup jelas",
                                 seen_version=0, category="lainnya")
                assert type(letter).get_by_id(letter.id).status == state, (state, action, login)


def test_table_has_the_journey_and_nothing_leaves_a_final_state():
    assert TRANSITIONS[("diajukan", "setujui", "kasi")] == "diverifikasi"
    assert TRANSITIONS[("diverifikasi", "setujui", "sekdes")] == "diperiksa"
    assert TRANSITIONS[("diperiksa", "setujui", "kades")] == "selesai"
    assert not [key for key in TRANSITIONS if key[0] in ("selesai", "ditolak", "dibatalkan")]


def test_a_kasi_acts_only_on_the_types_they_verify(db):
    kesra_letter = make_request(slug="tidak-mampu", status="diajukan")
    with pytest.raises(OutOfTurn):
        kesra_letter.apply("setujui", user("kasipem"))
    kesra_letter.apply("setujui", user("kasikesra"))
    assert kesra_letter.status == "diverifikasi"


@pytest.mark.parametrize("action, note, error", [
    ("kembalikan", "  ", InvalidNote), ("tolak", "", InvalidNote),
    ("setujui", "x" * (NOTE_MAX + 1), InvalidNote),
])
def test_notes_are_checked_and_nothing_changes(db, action, note, error):
    letter = make_request(status="diajukan")
    with pytest.raises(error):
        letter.apply(action, user("kasipem"), note=note, seen_version=0,
                     category="lainnya")
    assert type(letter).get_by_id(letter.id).status == "diajukan"
    assert not letter.events.count()


def test_a_stale_version_and_a_second_apply_are_refused(db):
    letter = make_request(status="diajukan")
    stale = type(letter).get_by_id(letter.id)
    letter.apply("setujui", user("kasipem"), seen_version=0)
    with pytest.raises(WorkflowError) as refused:
        stale.apply("setujui", user("kasipem"), seen_version=0)
    assert refused.value.status == 409
    with pytest.raises(WorkflowError):
        stale.apply("setujui", user("kasipem"))  # no version given: the compare-and-set still holds
    assert letter.events.count() == 1


def test_each_step_waits_for_the_one_role_that_approves_there():
    assert {state for (state, _, _) in TRANSITIONS} | set(TRANSITIONS.values()) <= set(STEPS)
    for state, step in STEPS.items():
        approvers = {role for (s, a, role) in TRANSITIONS if s == state and a == "setujui"}
        assert approvers == ({step.official} if step.official else set()), state
