"""`flask --app app add-village`: a new village, on its own host."""
import click

from balai.db import db
from balai.founding.village import FoundingError, add_village
from balai.storage import documents


def register(app):
    @app.cli.command("add-village")
    @click.option("--name", required=True, help="Nama desa, mis. \"Desa Sukamaju\".")
    @click.option("--host", required=True, help="Host situs desa, mis. sukamaju.desa.id.")
    @click.option("--from-template", is_flag=True,
                  help="Salin jenis surat kabupaten dari desa templat (desa pertama).")
    @click.option("--ca-passphrase", help="Kata sandi CA tanda tangan desa baru (bila diisi, CA "
                                          "dibuat sekarang).")
    @click.option("--first-host", help="Host desa yang selama ini berjalan sendiri tanpa host "
                                       "(menjawab di host mana pun); wajib bila ada.")
    def add_village_command(name, host, from_template, ca_passphrase, first_host):
        """Add a village to this installation, on its own host."""
        with db.connection_context():
            try:
                _, made, to_do = add_village(name, host, from_template, documents(app),
                                             ca_passphrase, first_host)
            except FoundingError as error:
                hint = " Beri dengan --first-host HOST." if "first_host" in error.errors else ""
                raise click.ClickException(f"{error}{hint}")
        for heading, lines in (("Desa baru dibuat:", made), ("Masih perlu:", to_do)):
            click.echo(heading)
            for line in lines:
                click.echo(f"  {line}")
