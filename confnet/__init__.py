"""confnet: a phone-first conference app. ``create_app`` is the only way to build one."""

import logging
import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error pages, security headers, CLI."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("CONFNET_INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from confnet.config import load_config

    load_config(app, test_config)
    _init_logging()
    _init_extensions(app)

    from confnet import cli, errors, pagecache, security, templating, web_assets
    from confnet.feeds import logs as feed_logs

    security.register(app)  # before the blueprints: it installs the bounded <int:> converter
    _register_blueprints(app)
    errors.register(app)
    templating.register(app)
    web_assets.register(app)  # content-hashed static files, gzip
    pagecache.init_app(app)  # rendered page parts, kept per worker
    cli.register(app)
    feed_logs.install(app)  # feed URLs are secrets: keep their tokens out of request logs
    return app


def _init_logging() -> None:
    """confnet's own messages at INFO (the mail outbox among them); libraries stay quiet."""
    log = logging.getLogger("confnet")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def _init_extensions(app: Flask) -> None:
    from confnet import (
        models,  # noqa: F401  (registers the tables on the metadata)
        transactions,
        watch,
    )
    from confnet.database import configure_engine
    from confnet.extensions import csrf, db, limiter, login_manager, migrate
    from confnet.web import load_visitor

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    login_manager.login_view = "auth.log_in"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_visitor)
    with app.app_context():
        configure_engine(db.engine)
        transactions.track_writes(db.engine)
        watch.init_app(app, db.engine)
    transactions.register(app)


def _register_blueprints(app: Flask) -> None:
    from confnet.accounts.views import bp as accounts
    from confnet.admin.views import bp as admin
    from confnet.audit.views import bp as audit
    from confnet.auth.views import bp as auth
    from confnet.conferences.views import bp as conferences
    from confnet.feeds.views import bp as feeds
    from confnet.health.views import bp as health
    from confnet.home.views import bp as home
    from confnet.interchange.views import bp as interchange
    from confnet.introductions.views import bp as introductions
    from confnet.meetings.views import bp as meetings
    from confnet.notes.views import bp as notes
    from confnet.offline.views import bp as offline
    from confnet.people.views import bp as people
    from confnet.privacy.views import bp as privacy
    from confnet.programme.views import bp as programme
    from confnet.schedule.views import bp as schedule
    from confnet.workshops.views import bp as workshops

    blueprints = (
        home,
        health,
        auth,
        accounts,
        conferences,
        admin,
        schedule,
        programme,
        interchange,
        workshops,
        feeds,
        notes,
        people,
        introductions,
        meetings,
        offline,
        privacy,
        audit,
    )
    for bp in blueprints:
        app.register_blueprint(bp)
