"""Tasks carry the village they work for; a message from before villages is dropped (the sweep
queues its work again); each village's documents live under villages/<id>/ but the first's."""
import logging

from balai.letters.issuance import letter_key
from balai.notify.models import Notification
from balai.signing.keys import CA_FILE, key_file_key
from balai.storage import documents
from balai.villages.context import chosen_village, village_context
from tests.support.signing import approve
from tests.support.village import make_request
from tests.support.villages import HOST_B, login_on, second_village


def test_a_task_runs_in_the_village_it_was_queued_for(app, db):
    queue, seen = app.extensions["queue"], []

    @queue.task()
    def note_village(number):
        seen.append((number, chosen_village()))

    queue.add("note_village", note_village, lambda horizon: [((7,), None)])
    mekarjaya = second_village(app)
    with village_context(mekarjaya):
        queue.enqueue("note_village", 1)
    queue.recover()  # every village's unfinished work, each with its village
    assert (1, mekarjaya) in seen and {(7, 1), (7, mekarjaya)} <= set(seen)


def test_a_message_queued_before_villages_is_dropped_and_the_sweep_does_its_work(app, db,
                                                                               caplog):
    queue = app.extensions["queue"]
    row = Notification.select().first()
    with caplog.at_level(logging.WARNING):
        queue.tasks["deliver"](row.id if row else 1)  # the old shape: no village
    assert "queued before the upgrade" in caplog.text
    queue.recover()  # no error: the database's unfinished work is queued per village


def test_a_second_villages_documents_live_under_its_own_folder(app, db):
    mekarjaya = second_village(app)
    store = documents(app)
    with village_context(1):  # the first village's documents stay where they always were
        assert key_file_key(CA_FILE) == f"keys/{CA_FILE}" and store.exists(key_file_key(CA_FILE))
    with village_context(mekarjaya):
        assert key_file_key(CA_FILE) == f"villages/{mekarjaya}/keys/{CA_FILE}"
        assert store.exists(key_file_key(CA_FILE))  # its own CA, made by the demo seed
        letter = make_request(status="diperiksa")
    assert approve(login_on(app, HOST_B, "kades"), letter).status_code == 303
    with village_context(mekarjaya):
        letter = type(letter).get_by_id(letter.id)
        assert letter_key(letter.pdf_file).startswith(f"villages/{mekarjaya}/letters/")
        assert store.exists(letter_key(letter.pdf_file))
    assert not store.exists(f"letters/{letter.pdf_file}")
