"""Sending one notification: e-mail over SMTP, WhatsApp through the village's HTTP gateway.

Settings come from app.config; a value not set there comes from the environment (BALAI_ + the
name, e.g. BALAI_SMTP_HOST), else from DEFAULTS."""
import contextlib
import os
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr

import requests
from flask import current_app

from balai.villages.models import Village

DEFAULTS = {
    "NOTIFY_RETRY_SECONDS": "60,300,1800,7200",  # after the last one the row is failed
    "NOTIFY_LEASE_SECONDS": "300",  # longer than any send may take
    "SMTP_HOST": "",
    "SMTP_PORT": "25",
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "SMTP_FROM": "balai@localhost",
    "SMTP_STARTTLS": "0",
    "SMTP_TIMEOUT": "30",
    "WA_URL": "",
    "WA_TOKEN": "",
    "WA_TOKEN_HEADER": "Authorization",
    "WA_TOKEN_FIELD": "",  # when set, the token goes in this body field instead of a header
    "WA_PHONE_FIELD": "target",
    "WA_MESSAGE_FIELD": "message",
    "WA_BODY": "form",  # "form" or "json"
    # The gateway's idempotency or reference field / header (empty: not sent): each attempt at
    # one notification carries the same Notification.delivery_key there
    "WA_REF_FIELD": "",
    "WA_REF_HEADER": "",
    "WA_TIMEOUT": "15",
}


class DeliveryError(Exception):
    """The channel did not accept the message; the text is kept as the row's last error."""


def configure(app):
    for name, default in DEFAULTS.items():
        app.config.setdefault(name, os.environ.get(f"BALAI_{name}", default))


def setting(name):
    return str(current_app.config.get(name, DEFAULTS[name]))


def retry_seconds():
    return [float(s) for s in setting("NOTIFY_RETRY_SECONDS").split(",") if s.strip()]


def absolute(link):
    return Village.current().public_url.rstrip("/") + link if link.startswith("/") else link


def send(notification, accepted):
    """Hand the message to its channel and call accepted() the moment the channel has taken it,
    before anything else (even the SMTP goodbye): a worker killed between the two sends the
    message again. Raise DeliveryError when it is not accepted."""
    try:
        {"email": send_email, "whatsapp": send_whatsapp}[notification.channel](notification,
                                                                               accepted)
    except DeliveryError:
        raise
    except (OSError, smtplib.SMTPException, requests.RequestException, ValueError) as error:
        # ValueError: a mistyped setting (a port that is no number) or an address the
        # channel cannot carry; the operator sees it in the failed list
        raise DeliveryError(f"{type(error).__name__}: {error}") from error


def text_of(notification):
    link = f"\n\nBuka: {absolute(notification.link)}" if notification.link else ""
    return f"{notification.message}{link}"


def sender_address(village, configured):
    """The From of a village's e-mail: the configured address under the village's own sender
    name, when it has one (each village of a regency's installation has)."""
    if not village.sender_name:
        return configured
    return formataddr((village.sender_name, parseaddr(configured)[1]))


def whatsapp_text(notification):
    """The message, under the village's sender name when it has one: one gateway number may
    speak for several villages."""
    sender = Village.current().sender_name
    return f"{sender}:\n{text_of(notification)}" if sender else text_of(notification)


def send_email(notification, accepted):
    if not setting("SMTP_HOST"):
        raise DeliveryError("SMTP belum diatur (BALAI_SMTP_HOST kosong).")
    village = Village.current()
    message = EmailMessage()
    message["Subject"] = notification.subject
    message["From"] = sender_address(village, setting("SMTP_FROM"))
    message["To"] = notification.address
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = notification.message_id
    message.set_content(f"{text_of(notification)}\n\n-- \n{village.name}\n"
                        "Pesan ini dikirim otomatis oleh Balai. Jangan membalas e-mail ini.\n")
    smtp = smtplib.SMTP(setting("SMTP_HOST"), int(setting("SMTP_PORT")),
                        timeout=float(setting("SMTP_TIMEOUT")))
    try:
        if setting("SMTP_STARTTLS") == "1":
            smtp.starttls()
        if setting("SMTP_USER"):
            smtp.login(setting("SMTP_USER"), setting("SMTP_PASSWORD"))
        smtp.send_message(message)
        accepted()
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.quit()  # the message is in: a server that hangs up now changes nothing
    finally:
        smtp.close()


def send_whatsapp(notification, accepted):
    if not setting("WA_URL"):
        raise DeliveryError("Gateway WhatsApp belum diatur (BALAI_WA_URL kosong).")
    fields = {setting("WA_PHONE_FIELD"): notification.address,
              setting("WA_MESSAGE_FIELD"): whatsapp_text(notification)}
    headers = {}
    if setting("WA_TOKEN_FIELD"):
        fields[setting("WA_TOKEN_FIELD")] = setting("WA_TOKEN")
    elif setting("WA_TOKEN"):
        headers[setting("WA_TOKEN_HEADER")] = setting("WA_TOKEN")
    if setting("WA_REF_FIELD"):
        fields[setting("WA_REF_FIELD")] = notification.delivery_key
    if setting("WA_REF_HEADER"):
        headers[setting("WA_REF_HEADER")] = notification.delivery_key
    body = {"json": fields} if setting("WA_BODY") == "json" else {"data": fields}
    response = requests.post(setting("WA_URL"), headers=headers,
                             timeout=float(setting("WA_TIMEOUT")), **body)
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"Gateway WhatsApp menjawab {response.status_code}: "
                            f"{response.text[:200]}")
    accepted()
