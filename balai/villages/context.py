"""Which village the code at hand works for: chosen once, from the request's host or the task's
arguments, and read by every query (balai.villages.models.VillageModel) and, on PostgreSQL, by
the row-level security of every village table.

`village_context(id)` chooses a village for a block; `across_villages()` is the one named way
to read past the village wall (the regency's figures, the sweeps that find work in every
village). With nothing chosen, an installation that holds one village works for that village,
as it always has; with several, nothing is chosen and a village query refuses to run."""
import contextvars
from contextlib import contextmanager

ACROSS = "across"  # the marker across_villages() sets

_chosen = contextvars.ContextVar("balai_village", default=None)


def chosen_village():
    """The village id chosen for the code at hand, ACROSS, or None when none is chosen."""
    return _chosen.get()


def is_across():
    return _chosen.get() == ACROSS


@contextmanager
def village_context(village_id):
    """Work for this village (an id) inside the block."""
    token = _chosen.set(int(village_id))
    try:
        yield
    finally:
        _chosen.reset(token)


@contextmanager
def across_villages():
    """Read every village inside the block: the regency's figures and the sweeps, nothing else."""
    token = _chosen.set(ACROSS)
    try:
        yield
    finally:
        _chosen.reset(token)
