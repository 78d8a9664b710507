"""Who may open a page: the one check the operator's pages share."""
import functools

from flask import abort
from flask_login import current_user, login_required


def operator_required(view):
    """The page is the village operator's alone: log in first, and every other role gets 403."""
    @functools.wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role != "operator":
            abort(403)
        return view(*args, **kwargs)
    return wrapper
