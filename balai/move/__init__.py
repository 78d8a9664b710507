"""`flask --app app move-to DATABASE_URL [--storage URL] [--replace]`: a SQLite village moves
to PostgreSQL, the whole installation, same ids (balai.move.whole); with `--join --host HOST`
it joins a PostgreSQL installation that already serves villages, as one more village with new
ids (balai.move.join). README "Basis data"."""
import click

from balai.db import db
from balai.dbms import open_database
from balai.move.join import join
from balai.move.whole import MoveError, move, move_documents
from balai.storage import documents, from_url


def register(app):
    @app.cli.command("move-to")
    @click.argument("url")
    @click.option("--storage", help="Salin juga berkas dokumen ke tempat ini (s3://bucket/awalan "
                                    "atau folder); tanpa ini berkas tetap di tempatnya.")
    @click.option("--replace", is_flag=True,
                  help="Hapus data yang sudah ada di basis data tujuan, lalu salin.")
    @click.option("--join", "joining", is_flag=True,
                  help="Gabungkan desa ini ke instalasi PostgreSQL yang sudah melayani desa "
                       "lain, sebagai satu desa lagi (nomor baris baru); perlu --host.")
    @click.option("--host", help="Dengan --join: nama host desa ini di instalasi tujuan.")
    def move_to(url, storage, replace, joining, host):
        """Copy this SQLite village to the PostgreSQL database at URL (and its documents to
        --storage), then compare every row."""
        if joining != bool(host) or (joining and replace):
            raise MoveError("--join dipakai bersama --host (tanpa --replace); --host hanya "
                            "bersama --join.")
        if db.engine != "sqlite":
            raise MoveError(f"move-to memindahkan desa dari SQLite; aplikasi ini memakai "
                            f"{db.engine} ({db.describe()}).")
        try:
            target = open_database(url)
        except ValueError as error:
            raise MoveError(str(error))
        if target.engine != "postgresql":
            raise MoveError("Tujuan move-to harus basis data PostgreSQL (postgresql://...).")
        click.echo(f"{'Menggabungkan' if joining else 'Memindahkan'} desa dari {db.describe()} "
                   f"ke {target.describe()}.")
        store = documents(app)
        try:
            with db.connection_context():
                if joining:
                    join(target, host, store, from_url(storage) if storage else store,
                         click.echo)
                    return
                if storage:
                    store = move_documents(store, from_url(storage), click.echo)
                else:
                    click.echo(f"Berkas dokumen tetap di {store!r}.")
                move(target, app.config["DATA_DIR"], replace, click.echo)
        finally:
            target.close_all()
        click.echo("Selesai. Jalankan Balai dengan DATABASE_URL yang baru"
                   + (f" dan BALAI_STORAGE_URL={storage}" if storage else "")
                   + " (dan BALAI_SECRET_KEY); data SQLite lama tidak diubah.")
