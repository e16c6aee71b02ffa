"""Test fixtures: one database per run (SQLite file, or PostgreSQL when
``CONFNET_TEST_DATABASE_URL`` is set), built by the migrations and emptied after every test."""

import os
import secrets

import pytest
from factories import Factories
from flask.testing import FlaskClient
from helpers import app_config, csrf
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confnet import create_app
from confnet.config import database_url
from confnet.extensions import db


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory):
    """A fresh database for this run; PostgreSQL ones are created here and dropped at the end."""
    server = os.environ.get("CONFNET_TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    url = make_url(database_url(server))
    name = f"confnet_test_{secrets.token_hex(4)}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The test's own session is committed first, so the request sees the test's data; the request
    gets a fresh ``g`` and database session instead of sharing the test's.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_uri, tmp_path_factory):
    os.environ["CONFNET_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    app = create_app(app_config(database_uri))
    app.test_client_class = IsolatedClient
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(app):
    """Each test runs in an app context and leaves an empty database behind."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_app(app):
    """The app with CSRF checks on (they are on by default; tests of forms post the token)."""
    return app


@pytest.fixture
def make():
    """Factories for test data: ``make.user()``, ``make.conference()``, ``make.item()``..."""
    return Factories()


@pytest.fixture
def login(client):
    """Log ``user`` in through the real form; returns the client."""

    def _login(user, password: str = Factories.PASSWORD):
        response = client.post(
            "/log-in", data={"email": user.email, "password": password, "csrf_token": csrf(client)}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _login


@pytest.fixture
def post(client):
    """POST a form with a valid CSRF token taken from ``page`` (default: the target itself)."""

    def _post(path: str, data: dict | None = None, page: str | None = None, **kwargs):
        token = csrf(client, page or path)
        return client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)

    return _post
