"""Letter types: the kinds of letter the village issues (rows are data, seeded and edited by
the operator), and what a request for one must say."""
from peewee import CharField, IntegerField, TextField

from balai.db import BaseModel, JSONField
from balai.letters.workflow import VERIFIER_TITLES

PURPOSE_MAX = 200
FIELD_MAX = 150


class LetterType(BaseModel):
    """A kind of letter the village issues; rows are data, seeded and edited by the operator."""
    code = CharField()  # classification code, e.g. "470"
    slug = CharField(unique=True)
    name = CharField()
    verifier = CharField()  # "kasi_pem" or "kasi_kesra"
    requirements = JSONField(default=list)  # [{"key", "label", "mandatory"}]
    extra_fields = JSONField(default=list)  # [{"key", "label"}]
    body_template = TextField()
    validity_days = IntegerField(default=30)
    active = CharField(default="1")

    @classmethod
    def available(cls):
        return cls.select().where(cls.active == "1").order_by(cls.name)

    @property
    def verifier_title(self):
        return VERIFIER_TITLES[self.verifier]

    def details_errors(self, purpose, fields):
        """What is wrong with a request's purpose and extra fields, keyed by input name."""
        errors = {}
        for field in self.extra_fields:
            value = fields.get(field["key"], "")
            if not value:
                errors[field["key"]] = f"Isi {field['label'].lower()}."
            elif len(value) > FIELD_MAX:
                errors[field["key"]] = (f"{field['label']} terlalu panjang: paling banyak "
                                        f"{FIELD_MAX} huruf (sekarang {len(value)}).")
        if not purpose:
            errors["keperluan"] = "Tuliskan keperluan surat ini, misalnya: melamar pekerjaan."
        elif len(purpose) > PURPOSE_MAX:
            errors["keperluan"] = (f"Keperluan terlalu panjang: paling banyak {PURPOSE_MAX} "
                                   f"huruf (sekarang {len(purpose)}).")
        return errors
