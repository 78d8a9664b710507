"""The public verification page that a letter's QR code opens."""
from flask import Blueprint, render_template

import letter_text
from models import LetterRequest, LetterType, Person, Village
from models.people import now

bp = Blueprint("verify", __name__)


def masked_name(name):
    """Enough of the name to recognise it on the paper, too little to learn it: "Bu** Sa*****"."""
    return " ".join(word[:2] + "*" * max(len(word) - 2, 1) for word in name.split())


@bp.route("/verifikasi/<path:token>")
def letter(token):
    letter = (LetterRequest.select(LetterRequest, LetterType, Person).join(LetterType)
              .switch(LetterRequest).join(Person)
              .where((LetterRequest.verify_token == token) & (LetterRequest.status == "selesai"))
              .first())
    if letter is None:
        return render_template("verify/not_found.html"), 404
    village = Village.current()
    issued_on, valid_until = (letter_text.indonesian_date(village.localtime(moment))
                              for moment in (letter.issued_at, letter.valid_until))
    return render_template("verify/letter.html", letter=letter, issued_on=issued_on,
                           valid_until=valid_until, name=masked_name(letter.person.name),
                           valid=now() <= letter.valid_until)
