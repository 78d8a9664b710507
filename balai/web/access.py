"""Who may open a page: the roles of the village office and the gates every area's views use.

Object rules (who may see a given request, order or shop) live beside their models; this module
holds the gates that depend on the role alone, and how a view answers a refused object rule."""
import functools

from flask import abort, make_response, request, session
from flask_login import current_user, login_required

from balai.web.errors import error_page

ROLES = {
    "warga": "Warga",
    "operator": "Operator",
    "kasi_pem": "Kasi Pemerintahan",
    "kasi_kesra": "Kasi Kesejahteraan Rakyat",
    "sekdes": "Sekretaris Desa",
    "kades": "Kepala Desa",
    "kabupaten": "Kabupaten",  # the regency office: figures across villages, no village of its own
}
OFFICIAL_ROLES = ("operator", "kasi_pem", "kasi_kesra", "sekdes", "kades")
INBOX_ROLES = ("kasi_pem", "kasi_kesra", "sekdes", "kades")  # officials with a step of their own
FIGURES_ROLES = ("operator", "sekdes", "kades")  # who reads the village's figures
REGENCY_PAGES = ("regency", "auth", "second_factor", "health", "pwa")  # the blueprints it opens


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
figures_required = role_required(*FIGURES_ROLES)


def permitted(obj, rule, refusal=None):
    """obj when rule(obj, current_user) lets this user have it. Otherwise 404, as for one that
    does not exist, for a resident (another resident's business is not even confirmed), and
    403 for an official, with `refusal` saying why when given."""
    if obj is None:
        abort(404)
    if not rule(obj, current_user):
        if not current_user.is_official:
            abort(404)
        abort(make_response(error_page(refusal, 403)) if refusal else 403)
    return obj


def keep_the_regency_to_its_pages():
    """Before every request: the regency's account belongs to no village, so it opens its own
    pages and its login's, never a page of a village (not even a public one: it has none there)."""
    if (request.blueprint not in REGENCY_PAGES and request.endpoint != "static"
            and "_user_id" in session and getattr(current_user, "role", None) == "kabupaten"):
        abort(403)


def operator_only(blueprint):
    """Every page of this blueprint is for the operator alone; others get 403."""
    blueprint.before_request(operator_required(lambda: None))
    return blueprint
