"""Which village the code at hand works for: chosen once, from the request's host or the task's
arguments, and read by every query (balai.villages.models.VillageModel) and, on PostgreSQL, by
the row-level security of every village table.

`village_context(id)` chooses a village for a block; `across_villages()` is the one named way
to read past the village wall (the regency's figures, the sweeps that find work in every
village). With nothing chosen, an installation that holds one village works for that village,
as it always has; with several, nothing is chosen and a village query refuses to run.
`regency_context()` is the regency office's own host: no village, and its accounts are the
rows of no village (balai.villages.models: REGENCY_ROWS)."""
import contextvars
from contextlib import contextmanager

ACROSS = "across"  # the marker across_villages() sets
REGENCY = "regency"  # the marker regency_context() sets: the regency office's own host

_chosen = contextvars.ContextVar("balai_village", default=None)
_only_village = None  # set by balai.villages.models: the one village's id, or None when several
_moved = None  # set by the factory: the database's wall follows a choice made in a transaction


class NoVillageChosen(RuntimeError):
    """A village query ran with no village chosen in an installation of several villages."""


def when_none_chosen(only_village):
    """`only_village()` answers the id of the installation's one village (None when it has
    several); the village area registers it."""
    global _only_village
    _only_village = only_village


def when_moved(moved):
    """`moved()` runs whenever village_context or regency_context chooses or gives back a
    village (on PostgreSQL a transaction's wall follows it: balai.villages.wall)."""
    global _moved
    _moved = moved


def chosen_village():
    """The village id chosen for the code at hand, ACROSS, or None when none is chosen."""
    return _chosen.get()


def current_village_id():
    """The id of the village the code at hand works for: the chosen one, else the
    installation's only village. NoVillageChosen when there is no such village, and inside
    across_villages() (which reads every village and works for none)."""
    chosen = _chosen.get()
    if chosen in (ACROSS, REGENCY):
        raise NoVillageChosen(f"{chosen}: works for no one village")
    if chosen is None and _only_village is not None:
        chosen = _only_village()
    if chosen is None:
        raise NoVillageChosen("no village chosen in an installation of several villages")
    return chosen


def is_across():
    return _chosen.get() == ACROSS


def is_regency():
    """The regency office's own pages: its accounts are the rows of no village."""
    return _chosen.get() == REGENCY


@contextmanager
def village_context(village_id):
    """Work for this village (an id) inside the block."""
    token = _chosen.set(int(village_id))
    _follow()
    try:
        yield
    finally:
        _chosen.reset(token)
        _follow()


@contextmanager
def across_villages():
    """Read every village inside the block: the regency's figures and the sweeps, nothing else."""
    token = _chosen.set(ACROSS)
    try:
        yield
    finally:
        _chosen.reset(token)


@contextmanager
def regency_context():
    """Work for the regency office inside the block: no village; its own accounts."""
    token = _chosen.set(REGENCY)
    _follow()
    try:
        yield
    finally:
        _chosen.reset(token)
        _follow()


def _follow():
    if _moved is not None:
        _moved()
