"""On PostgreSQL the backup's hold on deletions is the database's, not a node's: while another
node (a process with a data folder of its own) holds it, this node deletes no document, and it
deletes once the hold ends."""
import subprocess
import sys
import threading

import pytest

from balai.storage import delete_documents, documents
from tests.support.hosting import ROOT
from tests.support.postgres import needs_postgres, server_env

pytestmark = needs_postgres

HOLDER = """
import sys
from balai import create_app
from balai.storage import deletions_lock
app = create_app()
with app.app_context(), deletions_lock(app.config["DATA_DIR"], held=True):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes it
"""


@pytest.fixture
def other_node_holds_deletions(app, tmp_path):
    """A process on another data folder holding deletions, as its backup does; closing its
    input lets go."""
    (tmp_path / "other-node").mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, env=server_env(DATABASE_URL=app.config["DATABASE_URL"],
                                  BALAI_DATA_DIR=str(tmp_path / "other-node")))
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait(10)


def test_a_backup_on_another_node_holds_this_nodes_deletions(app, db,
                                                            other_node_holds_deletions):
    documents(app).put("uploads/sisa.jpg", b"x")
    done = threading.Event()

    def delete():
        with app.app_context():
            delete_documents("uploads/sisa.jpg")
        done.set()

    deleting = threading.Thread(target=delete)
    deleting.start()
    assert not done.wait(1.5)  # waiting for the other node's backup
    assert documents(app).exists("uploads/sisa.jpg")
    other_node_holds_deletions.stdin.close()  # its backup is done
    assert done.wait(30)
    deleting.join()
    assert not documents(app).exists("uploads/sisa.jpg")
