"""The numbered upgrade steps of the database schema, oldest first: `STEPS`.

A step is a module here named `NNNN_what_it_does.py` (the next number, no gaps) with a docstring
that says what it changes and `upgrade(migrator)`, which gets peewee's SchemaMigrator for the
database being upgraded (`migrator.database` is that database). A step names tables and columns
as they are at its version, never through today's models: a model changes later, a step does not.
A step that may leave a table with fewer rows says so in `FEWER_ROWS = {"table": "why"}`;
otherwise any lost row undoes it. `balai.migrate` runs the steps; README "Migrasi" says how to
write one. Step 1 is the schema as it was before versions were kept: it has nothing to run."""
import importlib
import pkgutil
import re
from dataclasses import dataclass, field

STEP_NAME = re.compile(r"(\d{4})_\w+")


@dataclass(frozen=True)
class Step:
    version: int
    name: str
    upgrade: object = None  # upgrade(migrator); None for the first step, the baseline
    fewer_rows: dict = field(default_factory=dict)  # table -> why it may lose rows

    @property
    def description(self):
        return f"{self.version:04d} {self.name}"


def load_steps(package=__name__, path=__path__):
    """The step modules of a package as Steps, in order; numbered 1, 2, 3... without gaps."""
    steps = []
    for module in sorted(info.name for info in pkgutil.iter_modules(path)):
        if match := STEP_NAME.fullmatch(module):
            step = importlib.import_module(f"{package}.{module}")
            summary = (step.__doc__ or module).strip().splitlines()[0]
            steps.append(Step(int(match.group(1)), summary, getattr(step, "upgrade", None),
                              getattr(step, "FEWER_ROWS", {})))
    numbers = [step.version for step in steps]
    if numbers != list(range(1, len(steps) + 1)):
        raise RuntimeError(f"Migration steps must be numbered 1, 2, 3... without gaps: {numbers}")
    return steps


STEPS = load_steps()
LATEST = STEPS[-1].version
