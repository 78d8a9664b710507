"""Letter types: the kinds of letter the village issues (rows are data, seeded and edited by
the operator), and what a request for one must say."""
from peewee import CharField, IntegerField, TextField

from balai.db import JSONField
from balai.letters.workflow import ROUTE, STEPS, VERIFIER_TITLES
from balai.villages.models import VillageModel

PURPOSE_MAX = 200
FIELD_MAX = 150
SERVICE_DAYS, STEP_DAYS = 3, 1  # a new type's published standard, in working days


class LetterType(VillageModel):
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
    # The published service standard (UU 25/2009): working days from submission to the issued
    # letter, and the target of each step of the workflow ({state: working days}).
    service_days = IntegerField(default=SERVICE_DAYS)
    step_days = JSONField(default=dict)

    @classmethod
    def names_by_slug(cls):
        """{slug: name} of the types; where villages name a slug apart, the oldest name."""
        names = {}
        for slug, name in cls.select(cls.slug, cls.name).order_by(cls.id.desc()).tuples():
            names[slug] = name
        return names

    @classmethod
    def available(cls):
        return cls.select().where(cls.active == "1").order_by(cls.name)

    @property
    def verifier_title(self):
        return VERIFIER_TITLES[self.verifier]

    def step_target(self, state):
        """The working days this type's standard gives the step that waits in `state`."""
        return int(self.step_days.get(state, STEP_DAYS))

    @property
    def standard_steps(self):
        """(state, what is done there, working days) for each step with an official."""
        return [(state, STEPS[state].duty.format(kasi=self.verifier_title),
                 self.step_target(state)) for state in ROUTE if STEPS[state].official]

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
