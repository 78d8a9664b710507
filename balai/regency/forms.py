"""The regency's forms: a new village, and its operator's account. Each returns (errors,
values) for the view."""
from balai.people.forms import official_form
from balai.people.passwords import DIFFERENT_AGAIN
from balai.web.forms import in_order, text

VILLAGE_ORDER = ("first_host", "name", "host")
OPERATOR_ORDER = ("username", "full_name", "password", "password2")


def village_form(form):
    """The new village's name and host as typed, and whether to copy the template's letter
    types; their rules are add_village's (balai.founding.village)."""
    return {"name": text(form, "name"), "host": text(form, "host"),
            "from_template": bool(form.get("from_template")),
            "first_host": text(form, "first_host")}


def operator_form(form):
    """An operator's account, by every official account's rules; the password is typed twice,
    for the regency has no page to set it again."""
    errors, values = official_form(form, role="operator")
    if "password" not in errors and form.get("password2", "") != values["password"]:
        errors["password2"] = DIFFERENT_AGAIN
    return in_order(errors, OPERATOR_ORDER), values
