"""Which village a request is for: chosen once, at its start, from its host (the Host header,
lowercased, without the port), and kept for the whole request. An installation with one
village answers on any host; with several, an unknown host gets a plain page that names no
village. The regency office's own host (REGENCY_HOST) chooses no village (`g.regency`) and
serves the regency's pages alone: its front page leads to them, any village page is not there."""
from flask import current_app, g, redirect, render_template, request, url_for

from balai.villages import context
from balai.villages.models import Village

ANY_HOST = {"health.health", "static"}  # the same on every host; no village's data
REGENCY_PAGES = {"regency", "auth", "second_factor", "pwa"}  # the blueprints its host serves


def request_host():
    return request.host.rsplit(":", 1)[0].lower() if not request.host.endswith("]") else (
        request.host.lower())


def choose_village():
    """The before_request hook: the village (or the regency office) of the request's host."""
    if request.endpoint in ANY_HOST:
        return None
    host = request_host()
    regency_host = (current_app.config.get("REGENCY_HOST") or "").lower()
    outside = False
    if regency_host and host == regency_host:
        g.regency = True
        chosen = context.regency_context()
        outside = request.blueprint not in REGENCY_PAGES
    else:
        village_id = Village.id_for_host(host)
        if village_id is None:
            return render_template("villages/unknown_host.html"), 404
        chosen = context.village_context(village_id)
    chosen.__enter__()
    g.village_chosen = chosen
    if outside:  # a village's page asked of the regency's host
        if request.endpoint == "home.index":
            return redirect(url_for("regency.index"))
        return render_template("villages/not_on_regency_host.html"), 404
    return None


def release_village(exc):
    """The teardown hook: the request's village is let go with it."""
    chosen = g.pop("village_chosen", None)
    if chosen is not None:
        chosen.__exit__(None, None, None)


def register(app):
    app.before_request_funcs.setdefault(None, []).insert(0, choose_village)
    app.teardown_request(release_village)
