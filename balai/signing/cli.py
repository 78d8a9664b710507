"""The signing commands: make the village CA and an official's certificate, or import one."""
from pathlib import Path

import click
from peewee import IntegrityError

from balai.db import db
from balai.people.models import User
from balai.people.passwords import PASSWORD_MIN
from balai.signing import keys as signing
from balai.storage import documents
from balai.villages.cli import village_option
from balai.villages.models import Village


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
        user = User.by_login(username)
        if user is None or not user.is_official:
            raise click.ClickException(f"Tidak ada akun pejabat dengan nama pengguna {username}.")
        return user
    user = User.select().where((User.role == "kades") & User.active).first()
    if user is None:
        raise click.ClickException("Belum ada akun Kepala Desa aktif; buat dengan create-user "
                                   "atau sebutkan --username.")
    return user


def prompt_passphrase(label):
    passphrase = click.prompt(label, hide_input=True, confirmation_prompt="Ketik ulang")
    if len(passphrase) < PASSWORD_MIN:
        raise click.ClickException(f"Kata sandi tanda tangan paling sedikit {PASSWORD_MIN} karakter.")
    return passphrase


def registered(row, done):
    return (f"Sertifikat {row.holder_name} ({row.position}) {done}, berlaku sampai "
            f"{row.valid_to:%Y-%m-%d}. Sidik jari SHA-256: {row.fingerprint}")


def register(app):

    def period(period_from, period_to):
        return (period_from and period_from.date(), period_to and period_to.date())

    @app.cli.command("signing-setup")
    @village_option
    @signer_options
    @click.option("--key-type", type=click.Choice(signing.KEY_TYPES), default="p256",
                  show_default=True)
    def signing_setup(username, position, period_from, period_to, key_type):
        """Make the village CA (once) and a signing certificate for an official."""
        store = documents(app)
        with db.connection_context():
            user = signer_user(username)
            first = not signing.has_village_ca(store)
            ca_passphrase = (prompt_passphrase("Kata sandi baru untuk CA desa") if first else
                             click.prompt("Kata sandi CA desa", hide_input=True))
            try:
                ca = signing.village_ca(store, ca_passphrase, Village.current().name,
                                        key_type)
                passphrase = prompt_passphrase(f"Kata sandi tanda tangan {user.full_name}")
                row = signing.enroll(store, ca, user, position, passphrase, key_type,
                                     period(period_from, period_to))
            except signing.SigningError as error:
                raise click.ClickException(str(error))
        click.echo(registered(row, "dibuat"))

    @app.cli.command("signing-import")
    @village_option
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @signer_options
    @click.option("--nik", help="NIK penanda tangan di layanan TTE jarak jauh (jika dipakai).")
    def signing_import(file, username, position, period_from, period_to, nik):
        """Register a certificate issued elsewhere: a PKCS#12 file (.p12/.pfx) with its key, or
        only the certificate (.pem/.crt/.cer) when a remote service (--nik) holds the key."""
        with db.connection_context():
            user = signer_user(username)
            try:
                if file.suffix.lower() in (".pem", ".crt", ".cer"):
                    row = signing.import_certificate(file.read_bytes(), user, position, nik,
                                                     period(period_from, period_to))
                else:
                    passphrase = click.prompt("Kata sandi berkas PKCS#12", hide_input=True)
                    row = signing.import_p12(documents(app), file.read_bytes(), user,
                                             position, passphrase, period(period_from, period_to),
                                             nik)
            except signing.SigningError as error:
                raise click.ClickException(str(error))
            except IntegrityError:
                raise click.ClickException("Sertifikat ini sudah ada di daftar penanda tangan.")
        click.echo(registered(row, "diimpor"))
