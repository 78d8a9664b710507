"""Who may open a page: the roles of the village office and the gates every area's views use.

Object rules (who may see a given request, order or shop) live beside their models; this module
holds only what depends on the role alone."""
import functools

from flask import abort
from flask_login import current_user, login_required

ROLES = {
    "warga": "Warga",
    "operator": "Operator",
    "kasi_pem": "Kasi Pemerintahan",
    "kasi_kesra": "Kasi Kesejahteraan Rakyat",
    "sekdes": "Sekretaris Desa",
    "kades": "Kepala Desa",
}
OFFICIAL_ROLES = ("operator", "kasi_pem", "kasi_kesra", "sekdes", "kades")
INBOX_ROLES = ("kasi_pem", "kasi_kesra", "sekdes", "kades")  # officials with a step of their own


def role_required(*roles):
    """The page is for these roles alone: log in first, and every other role gets 403."""
    def decorate(view):
        @functools.wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


operator_required = role_required("operator")
inbox_required = role_required(*INBOX_ROLES)


def operator_only(blueprint):
    """Every page of this blueprint is for the operator alone; others get 403."""
    blueprint.before_request(operator_required(lambda: None))
    return blueprint
