"""The village a command works for: `--village ID|HOST`."""
import functools

import click

from balai.db import db
from balai.villages.context import village_context
from balai.villages.models import Village


def chosen_village(reference):
    """The id of the village a `--village` names (its id or host); without one, the
    installation's only village."""
    with db.connection_context():
        if reference is None:
            village_id = Village.only_village_id()
            if village_id is None:
                raise click.ClickException("Instalasi ini melayani beberapa desa: sebutkan desanya "
                                           "dengan --village ID atau --village HOST.")
            return village_id
        reference = reference.strip().lower()
        village = (Village.get_or_none(Village.id == int(reference)) if reference.isdigit()
                   else Village.get_or_none(Village.host == reference))
    if village is None:
        raise click.ClickException(f"Tidak ada desa {reference}.")
    return village.id


def village_option(command):
    """`--village ID|HOST`: the command works for that village (default: the only one)."""
    @click.option("--village", "village_reference", metavar="ID|HOST",
                  help="Desa yang dimaksud (nomor atau host); wajib bila ada beberapa desa.")
    @functools.wraps(command)
    def for_village(*args, village_reference=None, **kwargs):
        with village_context(chosen_village(village_reference)):
            return command(*args, **kwargs)
    return for_village
