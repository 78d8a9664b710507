"""Flask commands for the operator and whoever hosts Balai."""
from pathlib import Path

import click
from peewee import IntegrityError

import models
from models.people import OFFICIAL_ROLES


def register(app):
    @app.cli.command("init-db")
    def init_db():
        """Create the database tables (safe to run again)."""
        models.create_tables()
        click.echo(f"Database siap: {app.config['DATABASE']}")

    @app.cli.command("seed-demo")
    def seed_demo():
        """Load the demo village "Desa Sukamaju" if the database has no accounts yet."""
        import seed
        models.create_tables()
        with models.db.connection_context():
            accounts = seed.seed_demo(app.config["KEYS_DIR"])
        click.echo("Desa demo dimuat." if accounts else "Data sudah ada; demo tidak dimuat ulang.")

    @app.cli.command("demo-accounts")
    def demo_accounts():
        """Print the demo accounts that exist in this database, with their password."""
        import seed
        with models.db.connection_context():
            accounts = seed.demo_accounts()
            passphrase = accounts and seed.demo_signing_passphrase(app.config["KEYS_DIR"])
        if accounts:
            click.echo("Akun demo:")
        for login, role, password in accounts:
            click.echo(f"  {login:<18} {role:<28} sandi: {password}")
        if passphrase:
            click.echo(f"  Kata sandi tanda tangan Kepala Desa (demo): {passphrase}")

    @app.cli.command("seed-bulk")
    @click.option("--residents", default=0, help="Berapa warga (dengan akun) yang ditambahkan.")
    @click.option("--letters", default=0, help="Berapa permohonan surat yang ditambahkan.")
    def seed_bulk(residents, letters):
        """Add a large made-up population and years of letters, for load tests."""
        import time

        import bulk
        import seed
        models.create_tables()
        started = time.monotonic()
        with models.db.connection_context():
            seed.seed_letter_types()
            if residents:
                click.echo(f"Warga massal: {bulk.seed_residents(residents)}")
            try:
                if letters:
                    click.echo(f"Permohonan massal: {bulk.seed_letters(letters)}")
            except ValueError as error:
                raise click.ClickException(str(error))
        click.echo(f"Selesai dalam {time.monotonic() - started:.0f} detik.")

    @app.cli.command("create-user")
    @click.option("--username", prompt="Nama pengguna")
    @click.option("--role", prompt="Peran", type=click.Choice(OFFICIAL_ROLES))
    @click.option("--name", "full_name", prompt="Nama lengkap")
    @click.password_option(prompt="Kata sandi")
    def create_user(username, role, full_name, password):
        """Create an official's account (operator, kasi_pem, kasi_kesra, sekdes, kades)."""
        import seed
        from operator_forms import username_error
        username = username.strip().lower()
        if message := username_error(username):
            raise click.ClickException(message)
        if len(password) < 8:
            raise click.ClickException("Kata sandi paling sedikit 8 karakter.")
        models.create_tables()
        with models.db.connection_context():
            try:
                seed.make_official(username, role, full_name, password)
            except IntegrityError:
                raise click.ClickException(f"Nama pengguna {username} sudah dipakai.")
            seed.seed_letter_types()
        click.echo(f"Akun {username} ({role}) dibuat.")

    register_signing(app)


def signer_options(command):
    """Options shared by signing-setup and signing-import: who signs, as what, and when."""
    options = [
        click.option("--username", help="Akun pejabat penanda tangan (bawaan: Kepala Desa aktif)."),
        click.option("--position", default="Kepala Desa", show_default=True,
                     help='Jabatan seperti tercetak di surat, mis. "Plt. Kepala Desa".'),
        click.option("--from", "period_from", type=click.DateTime(["%Y-%m-%d"]),
                     help="Awal masa penunjukan (pejabat pelaksana), TTTT-BB-HH."),
        click.option("--to", "period_to", type=click.DateTime(["%Y-%m-%d"]),
                     help="Akhir masa penunjukan, TTTT-BB-HH."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def signer_user(username):
    """The official who will sign: the named account, or the active Kepala Desa."""
    if username:
        user = models.User.by_login(username)
        if user is None or not user.is_official:
            raise click.ClickException(f"Tidak ada akun pejabat dengan nama pengguna {username}.")
        return user
    user = models.User.select().where((models.User.role == "kades") & models.User.active).first()
    if user is None:
        raise click.ClickException("Belum ada akun Kepala Desa aktif; buat dengan create-user "
                                   "atau sebutkan --username.")
    return user


def prompt_passphrase(label):
    passphrase = click.prompt(label, hide_input=True, confirmation_prompt="Ketik ulang")
    if len(passphrase) < 8:
        raise click.ClickException("Kata sandi tanda tangan paling sedikit 8 karakter.")
    return passphrase


def registered(row, done):
    return (f"Sertifikat {row.holder_name} ({row.position}) {done}, berlaku sampai "
            f"{row.valid_to:%Y-%m-%d}. Sidik jari SHA-256: {row.fingerprint}")


def register_signing(app):
    import signing

    def period(period_from, period_to):
        return (period_from and period_from.date(), period_to and period_to.date())

    @app.cli.command("signing-setup")
    @signer_options
    @click.option("--key-type", type=click.Choice(signing.KEY_TYPES), default="p256",
                  show_default=True)
    def signing_setup(username, position, period_from, period_to, key_type):
        """Make the village CA (once) and a signing certificate for an official."""
        keys_dir = app.config["KEYS_DIR"]
        models.create_tables()
        with models.db.connection_context():
            user = signer_user(username)
            first = not (Path(keys_dir) / signing.CA_FILE).exists()
            ca_passphrase = (prompt_passphrase("Kata sandi baru untuk CA desa") if first else
                             click.prompt("Kata sandi CA desa", hide_input=True))
            try:
                ca = signing.village_ca(keys_dir, ca_passphrase, models.Village.current().name,
                                        key_type)
                passphrase = prompt_passphrase(f"Kata sandi tanda tangan {user.full_name}")
                row = signing.enroll(keys_dir, ca, user, position, passphrase, key_type,
                                     period(period_from, period_to))
            except signing.SigningError as error:
                raise click.ClickException(str(error))
        click.echo(registered(row, "dibuat"))

    @app.cli.command("signing-import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @signer_options
    @click.option("--nik", help="NIK penanda tangan di layanan TTE jarak jauh (jika dipakai).")
    def signing_import(file, username, position, period_from, period_to, nik):
        """Register a certificate issued elsewhere: a PKCS#12 file (.p12/.pfx) with its key, or
        only the certificate (.pem/.crt/.cer) when a remote service (--nik) holds the key."""
        models.create_tables()
        with models.db.connection_context():
            user = signer_user(username)
            try:
                if file.suffix.lower() in (".pem", ".crt", ".cer"):
                    row = signing.import_certificate(file.read_bytes(), user, position, nik,
                                                     period(period_from, period_to))
                else:
                    passphrase = click.prompt("Kata sandi berkas PKCS#12", hide_input=True)
                    row = signing.import_p12(app.config["KEYS_DIR"], file.read_bytes(), user,
                                             position, passphrase, period(period_from, period_to),
                                             nik)
            except signing.SigningError as error:
                raise click.ClickException(str(error))
            except IntegrityError:
                raise click.ClickException("Sertifikat ini sudah ada di daftar penanda tangan.")
        click.echo(registered(row, "diimpor"))
