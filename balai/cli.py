"""Flask commands for whoever hosts Balai: the demo village, officials' accounts.

Each area with commands of its own registers them here (signing: `balai.signing.cli`), and so
do `balai.backup` (backup, restore), `balai.migrate` (migrate, init-db, schema-snapshot) and
`balai.move` (move-to)."""
import time

import click

from balai.backup import register as register_backup
from balai.db import db
from balai.demo import bulk, seed
from balai.demo import villages as bulk_villages
from balai.founding import cli as founding_cli
from balai.migrate import register as register_migrate
from balai.move import register as register_move
from balai.people.forms import username_error
from balai.people.models import User
from balai.people.passwords import password_error
from balai.people.second_factor import SecondFactor
from balai.schema import create_tables
from balai.signing import cli as signing_cli
from balai.storage import documents
from balai.villages.cli import chosen_village, village_option
from balai.villages.context import regency_context, village_context
from balai.web.access import OFFICIAL_ROLES

REGENCY_ROLE = "kabupaten"


def seed_one_village(residents, letters):
    with db.connection_context():
        seed.seed_letter_types()
        if residents:
            click.echo(f"Warga massal: {bulk.seed_residents(residents)}")
        try:
            if letters:
                click.echo(f"Permohonan massal: {bulk.seed_letters(letters)}")
        except ValueError as error:
            raise click.ClickException(str(error))


def seed_villages(count, residents, letters):
    """Fill `count` villages, one transaction each, printing each as it is done."""
    with db.connection_context():
        ids = bulk_villages.villages(count)
    for number, village_id in enumerate(ids, 1):
        started = time.monotonic()
        with db.connection_context():
            holds = bulk_villages.fill(village_id, residents, letters)
        line = ("sudah terisi" if holds is None else
                f"{holds[0]} warga, {holds[1]} surat ({time.monotonic() - started:.0f} detik)")
        click.echo(f"Desa {number}/{count} (nomor {village_id}): {line}")


def register(app):
    @app.cli.command("seed-demo")
    @village_option
    def seed_demo():
        """Load the demo village "Desa Sukamaju" if the database has no accounts yet."""
        create_tables()
        with db.connection_context():
            accounts = seed.seed_demo(documents(app), app.config["PASSWORD_HASH_METHOD"])
        click.echo("Desa demo dimuat." if accounts else "Data sudah ada; demo tidak dimuat ulang.")

    @app.cli.command("demo-accounts")
    @village_option
    def demo_accounts():
        """Print the demo accounts that exist in this database, with their password."""
        with db.connection_context():
            accounts = seed.demo_accounts()
            passphrase = accounts and seed.demo_signing_passphrase(documents(app))
        if accounts:
            click.echo("Akun demo:")
        for login, role, password in accounts:
            click.echo(f"  {login:<18} {role:<28} sandi: {password}")
        if passphrase:
            click.echo(f"  Kata sandi tanda tangan Kepala Desa (demo): {passphrase}")

    @app.cli.command("seed-bulk")
    @click.option("--residents", default=0, help="Berapa warga (dengan akun) yang ditambahkan.")
    @click.option("--letters", default=0, help="Berapa permohonan surat yang ditambahkan.")
    @click.option("--villages", "village_count", type=click.IntRange(1), help=(
        "Isi sekian desa: desa 1 dan desa uji 2..N (desa-uji-002.desa.test, ...), dibuat bila "
        "belum ada. Bisa dijalankan ulang: desa yang sudah penuh dilewati."))
    @click.option("--residents-per-village", type=click.IntRange(0), default=5000,
                  help="Dengan --villages: warga massal tiap desa.")
    @click.option("--letters-per-village", type=click.IntRange(0),
                  help="Dengan --villages: surat massal tiap desa (bawaan: warga x 10 / 3).")
    @click.option("--village", "village_reference", metavar="ID|HOST",
                  help="Tanpa --villages: desa yang diisi (nomor atau host).")
    def seed_bulk(residents, letters, village_count, residents_per_village, letters_per_village,
                  village_reference):
        """Add a large made-up population and years of letters, for load tests: to one village
        (--residents, --letters), or many villages filled up to the same numbers (--villages)."""
        create_tables()
        started = time.monotonic()
        if village_count:
            if letters_per_village is None:
                letters_per_village = bulk_villages.letters_per_village(residents_per_village)
            seed_villages(village_count, residents_per_village, letters_per_village)
        else:
            with village_context(chosen_village(village_reference)):
                seed_one_village(residents, letters)
        with db.connection_context():
            bulk.analyze()
        click.echo(f"Selesai dalam {time.monotonic() - started:.0f} detik.")

    @app.cli.command("run-pending")
    def run_pending():
        """One round of background work, for a host without a worker (cron, every minute)."""
        ran = app.extensions["queue"].run_pending()
        click.echo(f"{ran} tugas dijalankan.")

    @app.cli.command("create-user")
    @click.option("--username", prompt="Nama pengguna")
    @click.option("--role", prompt="Peran",
                  type=click.Choice(OFFICIAL_ROLES + (REGENCY_ROLE,)))
    @click.option("--name", "full_name", prompt="Nama lengkap")
    @click.password_option(prompt="Kata sandi")
    @click.option("--village", "village_reference", metavar="ID|HOST",
                  help="Desa akun ini (nomor atau host); wajib bila ada beberapa desa. Akun "
                       "kabupaten bukan milik desa mana pun.")
    def create_user(username, role, full_name, password, village_reference):
        """Create an official's account (operator, kasi_pem, kasi_kesra, sekdes, kades) in a
        village, or the regency office's (kabupaten), which belongs to no village."""
        username = username.strip().lower()
        if message := username_error(username):
            raise click.ClickException(message)
        create_tables()
        regency = role == REGENCY_ROLE
        working_for = (regency_context() if regency
                       else village_context(chosen_village(village_reference)))
        with db.connection_context(), working_for:
            if message := password_error(password, username):
                raise click.ClickException(message)
            if User.add_official(username, role, full_name, password) is None:
                raise click.ClickException(f"Nama pengguna {username} sudah dipakai.")
            if not regency:
                seed.seed_letter_types()
        click.echo(f"Akun {username} ({role}) dibuat.")

    @app.cli.command("reset-second-factor")
    @village_option
    @click.argument("username")
    def reset_second_factor(username):
        """Turn off an official's second factor (a lost phone, and no operator to do it)."""
        with db.connection_context():
            user = User.by_login(username.strip().lower())
            if user is None or not user.username:
                raise click.ClickException(f"Tidak ada akun dengan nama pengguna {username}.")
            SecondFactor.reset(user)
        click.echo(f"Verifikasi dua langkah {user.username} dimatikan; semua sesinya diakhiri. "
                   "Ia masuk dengan kata sandi saja, lalu memasangnya lagi.")

    founding_cli.register(app)
    signing_cli.register(app)
    register_backup(app)
    register_migrate(app)
    register_move(app)
