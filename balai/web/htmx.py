"""The few htmx 4 request and response details Balai needs (flask-htmx reads htmx 2 headers)."""
from flask import render_template, request
from jinja2_fragments.flask import render_block


def is_htmx():
    """True for a request htmx made to swap part of a page (not a history restore)."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def render_page_or_block(template, block, **context):
    """The whole page for a browser, only the named block for htmx."""
    if is_htmx():
        return render_block(template, block, **context)
    return render_template(template, **context)
