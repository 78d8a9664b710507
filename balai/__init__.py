"""Balai: the village office in a resident's phone.

`create_app` is the one place that builds the app: settings, the database, login, the task queue
and every area's blueprints. Areas (see README "Layout") never import this package."""
import os
import secrets
from pathlib import Path

from flask import Flask, abort, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_compress import Compress
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from balai import cli, db, pg_wall, storage, sweep
from balai.figures import views as figures
from balai.letters import tasks as letter_tasks
from balai.letters.models import LetterRequest
from balai.letters.views import documents, inbox, kept, standards, types, verify
from balai.letters.views import preview as letter_preview
from balai.letters.views import requests as letter_requests
from balai.letters.views import uploads as syarat_uploads
from balai.market.views import catalogue, shop
from balai.news.views import articles, home, pwa
from balai.notify import channels
from balai.notify import tasks as notify_tasks
from balai.notify import views as notifications
from balai.operator import import_views as population_import
from balai.operator import tasks as operator_tasks
from balai.operator import views as operator
from balai.people import passwords
from balai.people.models import PASSWORD_HASH_METHOD, dummy_hash
from balai.people.sessions import TOKEN_KEY, LoginSession
from balai.people.views import accounts, auth, population, second_factor
from balai.privacy import views as privacy
from balai.queue import Queue
from balai.regency import views as regency
from balai.signing import views as signing
from balai.signing.models import signs_as_kades
from balai.villages import hosts
from balai.villages.models import Village
from balai.villages.wall import wall_moves, wall_setting
from balai.web import errors, filters, health
from balai.web.access import FIGURES_ROLES, INBOX_ROLES
from balai.web.compiled_templates import compiled_templates
from balai.web.htmx import is_htmx
from balai.web.page_cache import FastPath
from balai.web.static_assets import StaticAssets

ROOT = Path(__file__).resolve().parent.parent  # the checkout: data/ lives beside balai/

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000"  # a year; not includeSubDomains: other sites may share the domain

csrf = CSRFProtect()
login_manager = LoginManager()
compress = Compress()


class SessionInterface(SecureCookieSessionInterface):
    """A response marked `Cache-Control: public` (static files, photos) is the same for everyone,
    so it gets no `Vary: Cookie`: a new session cookie (logging in, a flash message) must not
    make the browser check every file again."""

    def save_session(self, app, session, response):
        if not response.cache_control.public:
            super().save_session(app, session, response)

    def get_cookie_secure(self, app):
        """Secure whenever the visitor came over HTTPS (behind a proxy: see PROXY_COUNT)."""
        return super().get_cookie_secure(app) or request.is_secure


def secret_key(data_dir, shared=False):
    """The key from the environment, or one made once and kept in data/ across restarts.

    With a shared database (several web nodes), each node would make a key of its own, and a
    visitor's session and form tokens would hold on one node only: it must come from outside."""
    if os.environ.get("BALAI_SECRET_KEY"):
        return os.environ["BALAI_SECRET_KEY"]
    if shared:
        raise RuntimeError("BALAI_SECRET_KEY wajib diisi bila memakai basis data bersama "
                           "(DATABASE_URL postgresql://...): setiap server web harus memakai kunci "
                           "yang sama, atau warga keluar sendiri setiap kali pindah server.")
    path = Path(data_dir) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(config=None):
    app = Flask(__name__)
    app.jinja_options = {**app.jinja_options, "bytecode_cache": compiled_templates}
    data_dir = Path((config or {}).get("DATA_DIR") or os.environ.get("BALAI_DATA_DIR", ROOT / "data"))
    data_dir.mkdir(parents=True, exist_ok=True)
    app.config.update(
        DATA_DIR=str(data_dir),
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'balai.db'}",
        # PostgreSQL: the tables' owner, who creates and upgrades them (migrate, init-db), when
        # the app connects as a role that only reads and writes rows (balai.pg_wall).
        OWNER_DATABASE_URL=os.environ.get("BALAI_OWNER_DATABASE_URL", ""),
        DATABASE_POOL_SIZE=int(os.environ.get("BALAI_DATABASE_POOL_SIZE", "10")),
        # Documents (syarat, letters, photos, logo, signing keys): a folder or s3://bucket/prefix;
        # empty: the data dir itself (see balai/storage.py).
        STORAGE_URL=os.environ.get("BALAI_STORAGE_URL", ""),
        MAX_CONTENT_LENGTH=26 * 1024 * 1024,
        UPLOAD_MAX_BYTES=5 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PASSWORD_HASH_METHOD=PASSWORD_HASH_METHOD,
        COMPRESS_MIMETYPES=["text/html", "text/css", "application/javascript", "text/csv",
                            "application/json", "application/manifest+json", "image/svg+xml",
                            "application/atom+xml", "application/xml"],
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_MIN_SIZE=256,
        COMPRESS_EVALUATE_CONDITIONAL_REQUEST=False,  # cache_policy answers 304s first
        HUEY_IMMEDIATE=os.environ.get("BALAI_HUEY_IMMEDIATE") == "1",
        REDIS_URL=os.environ.get("REDIS_URL", ""),  # the queue on Redis; empty: on SQLite
        WORKER=os.environ.get("BALAI_WORKER", ""),  # "inline": the worker runs in the web process
        SWEEP_MINUTES=int(os.environ.get("BALAI_NOTIFY_SWEEP_MINUTES", "1")),
        SESSION_HOURS=float(os.environ.get("BALAI_SESSION_HOURS", "12")),
        OFFICIAL_IDLE_MINUTES=float(os.environ.get("BALAI_OFFICIAL_IDLE_MINUTES", "30")),
        PROXY_COUNT=int(os.environ.get("BALAI_PROXY_COUNT", "0")),
        SYARAT_RETENTION_DAYS=int(os.environ.get("BALAI_SYARAT_RETENTION_DAYS", "365")),
        # A batch of letters starts no new letter after this, well below the web server's
        # timeout (120 s in run.sh), which kills a request mid-letter.
        REGENCY_HOST=os.environ.get("BALAI_REGENCY_HOST", ""),  # the regency office's host
        ISSUE_BATCH_SECONDS=float(os.environ.get("BALAI_ISSUE_BATCH_SECONDS", "60")),
    )
    if config:
        app.config.update(config)
    database = db.init_db(app.config["DATABASE_URL"], app.config["DATABASE_POOL_SIZE"],
                          app.config["OWNER_DATABASE_URL"] or None)
    pg_wall.follow_villages(wall_setting)
    wall_moves()
    if not app.config.get("SECRET_KEY"):  # Flask's default is None, so setdefault would keep it
        app.config["SECRET_KEY"] = secret_key(data_dir, shared=database.shared)
    storage.init_app(app)

    app.session_interface = SessionInterface()
    app.wsgi_app = FastPath(app.wsgi_app)  # a kept public page for a cookie-less visitor
    if app.config["PROXY_COUNT"]:  # trust that many proxies' X-Forwarded-For/-Proto/-Host/-Port
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count,
                                x_port=count)
    csrf.init_app(app)
    compress.init_app(app)
    channels.configure(app)
    app.extensions["static_assets"] = StaticAssets(app)
    init_login(app)
    init_queue(app)
    register_blueprints(app)
    register_hooks(app)
    hosts.register(app)  # first of the before_request hooks: every other one works for a village
    errors.register(app)
    cli.register(app)
    filters.register(app)
    return app


def init_login(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Silakan masuk terlebih dahulu."
    login_manager.login_message_category = "info"
    # Hashed now, or the first login for an unknown name would take longer than a real one.
    dummy_hash(app.config["PASSWORD_HASH_METHOD"])

    @login_manager.user_loader
    def load_user(user_id):
        # Also what a remember-me cookie would be checked by: without a live session, no one.
        return LoginSession.user_for(user_id, session.get(TOKEN_KEY))

    @login_manager.unauthorized_handler
    def unauthorized():
        # The path alone: a query string may carry what someone typed (a NIK), and the login
        # page's address would repeat it in every log that sees it.
        target = url_for("auth.login", next=request.path if request.method == "GET" else None)
        if is_htmx():
            return "", 204, {"HX-Redirect": target}
        return redirect(target)


def init_queue(app):
    """The task queue and every area's tasks (the worker's entry, worker.py, runs this too).
    BALAI_WORKER=inline starts the worker in the first request a process serves: a web process
    it is, then (not a command, nor gunicorn's master before it forks its workers)."""
    queue = app.extensions["queue"] = Queue(app)
    notify_tasks.register(queue)
    letter_tasks.register(queue)
    operator_tasks.register(queue)
    if app.config["WORKER"] == "inline":
        app.before_request(queue.start_inline)
    sweep.register(queue)


def register_blueprints(app):
    for module in (home, auth, letter_requests, syarat_uploads, inbox, letter_preview, documents,
                   operator, population, population_import, accounts, types, notifications,
                   verify, articles, signing, pwa, catalogue, shop, second_factor, privacy,
                   health, figures, standards, kept, regency):
        app.register_blueprint(module.bp)


def register_hooks(app):
    # No connect in before_request: peewee connects on the first query, so a page that needs
    # none (the home page, once the village is cached) costs no connection at all.
    @app.teardown_request
    def close_db(exc):
        if not db.db.is_closed():
            db.db.close()

    @app.before_request
    def refuse_nul_characters():
        """No one types a NUL character, and PostgreSQL cannot store or even compare one: a
        form or address holding one is refused (400) on either engine, before any query."""
        for values in (request.args, request.form):
            if any("\x00" in value for _, value in values.items(multi=True)):
                abort(400)


    @app.context_processor
    def layout_context():
        return {"village": Village.current_or_none(), "inbox_roles": INBOX_ROLES,
                "figures_roles": FIGURES_ROLES,
                "password_rule": passwords.RULE,
                "signs_as_kades": signs_as_kades,
                "inbox_count": lambda user: LetterRequest.inbox_for(user).count()}

    @app.after_request
    def security_headers(response):
        if response.mimetype in ("text/html", "image/svg+xml"):  # what a browser could run
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if response.mimetype == "text/html":
            response.vary.add("HX-Request")
        cache_policy(response)
        return response


def cache_policy(response):
    """What is a visitor's own (anything a logged-in visitor gets: pages, scans, letters, the
    register; a page carrying a form's CSRF token) is never stored, so a phone shared in a
    family keeps no copy of it. Public pages are revalidated by ETag, so a repeat visit is a
    304. A view that chose its own caching keeps it: public files and photos, and the header's
    unread count (a bare number, `private, no-cache`, revalidated every minute)."""
    control = response.cache_control
    if control.public or control.private:
        return
    # A login lives in the session: without one, no user is loaded (a kept public page's
    # costliest step otherwise).
    if session.modified or "csrf_token" in g or (session and current_user.is_authenticated):
        response.headers["Cache-Control"] = "private, no-store"
        return
    if response.mimetype != "text/html" or "Cache-Control" in response.headers:
        return
    response.headers["Cache-Control"] = "no-cache"
    if request.method == "GET" and response.status_code == 200 and not response.is_streamed:
        response.add_etag(weak=True)
        response.make_conditional(request)
