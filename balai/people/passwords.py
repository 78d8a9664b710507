"""The one rule every new password meets: registering, an official's account made by the operator
or on the command line, and changing one's password."""
import functools

from balai.villages.context import is_regency
from balai.villages.models import Village

PASSWORD_MIN = 8  # every password: residents', officials', and the signing passphrase

# Common in Indonesia and missing from the English-language list below.
INDONESIAN_COMMON = (
    "sayang", "sayang123", "sayangku", "sayangku123", "bismillah", "bismillah123",
    "alhamdulillah", "indonesia", "indonesia1", "indonesia123", "merdeka", "merdeka45",
    "rahasia", "katasandi", "katasandi123", "kata sandi", "sandi123", "cintaku", "cinta123",
    "qwerty123", "admin123", "password1", "password123",
)
SHORTEST_NAME = 4  # shorter names ("Oi") would forbid half the passwords people choose

RULE = (f"Paling sedikit {PASSWORD_MIN} huruf atau angka, bukan kata sandi yang umum (seperti "
        "12345678), dan tidak memuat NIK, nama pengguna, atau nama desa.")  # the forms' hint
TOO_SHORT = f"Kata sandi paling sedikit {PASSWORD_MIN} huruf atau angka."
TOO_COMMON = ("Kata sandi ini terlalu umum: orang lain mudah menebaknya. Pilih yang lain, "
              "misalnya gabungan tiga kata yang mudah Anda ingat tetapi tidak ada hubungannya.")
HOLDS_OWN_NAME = ("Kata sandi tidak boleh memuat NIK atau nama pengguna Anda. Pilih yang lain.")
DIFFERENT_AGAIN = "Kedua kata sandi tidak sama. Ketik ulang."  # the password typed twice
HOLDS_VILLAGE = "Kata sandi tidak boleh memuat nama desa. Pilih yang lain."


@functools.cache
def common_passwords():
    """The 30,000 most used passwords (zxcvbn's list, MIT licence) and Indonesian ones.

    Imported on first use: the list is large and most processes never set a password."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(INDONESIAN_COMMON)


def password_error(password, *own_names):
    """What is wrong with a new password, in words that say how to fix it; None when it is fine.

    `own_names` are the holder's NIK or username, which a guesser tries first."""
    if len(password) < PASSWORD_MIN:
        return TOO_SHORT
    folded = password.lower()
    if folded in common_passwords():
        return TOO_COMMON
    if any(name and name.lower() in folded for name in own_names):
        return HOLDS_OWN_NAME
    village = village_name()
    if len(village) >= SHORTEST_NAME and village in folded.replace(" ", ""):
        return HOLDS_VILLAGE
    return None


def village_name():
    """The village's own name, lower case without spaces: "Desa Suka Maju" gives "sukamaju";
    nothing for the regency office's accounts, which belong to no village."""
    if is_regency():
        return ""
    words = Village.current().name.lower().split()
    if words[:1] in (["desa"], ["kelurahan"]):
        words = words[1:]  # the profile's default name, "Desa", leaves nothing to refuse
    return "".join(words)
