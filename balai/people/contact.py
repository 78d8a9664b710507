"""How a way to reach someone is written down: a WhatsApp number and an e-mail address."""
import re

WHATSAPP_RULE = ("Nomor WhatsApp harus nomor HP Indonesia, misalnya 081234567890 atau "
                 "6281234567890.")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def whatsapp_number(value):
    """An Indonesian mobile number as 628..., or None: accepts 08..., 628..., +62 8...

    wa.me links and the WhatsApp gateway both want the number this way, with the country code."""
    digits = re.sub(r"[\s.\-()]", "", value or "").removeprefix("+")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    # [0-9], not \d: \d also takes full-width digits, which no phone dials
    return digits if re.fullmatch(r"628[0-9]{7,11}", digits) else None


def is_email(value):
    """True for something shaped like an address; only a code sent to it proves it works."""
    return bool(EMAIL.fullmatch(value or ""))
