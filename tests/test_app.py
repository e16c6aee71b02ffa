"""The app as infrastructure: config, health check, security headers, error pages."""

import re

import pytest
from helpers import app_config, csrf

from confnet import create_app
from confnet.config import database_url


def test_postgres_urls_use_psycopg3():
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFNET_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert len(first.secret_key) == 64
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_configures_database_secret_and_production(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFNET_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1/whatever")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("CONFNET_ENV", "production")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert app.secret_key == "from-the-environment"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert not (tmp_path / "secret_key").exists()


def test_healthz_answers_ok_after_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_livez_answers_without_touching_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFNET_INSTANCE_PATH", str(tmp_path))
    app = create_app(app_config("postgresql+psycopg://nobody@127.0.0.1:9/nothing"))
    response = app.test_client().get("/livez")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFNET_INSTANCE_PATH", str(tmp_path))
    app = create_app(app_config("postgresql+psycopg://nobody@127.0.0.1:9/nothing"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_pages_carry_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "private" in response.headers["Cache-Control"]


def test_no_page_contains_inline_script_or_style(client, make):
    html = client.get("/").get_data(as_text=True) + client.get("/log-in").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_production_sends_hsts_and_trusts_one_proxy(tmp_path, monkeypatch, database_uri):
    monkeypatch.setenv("CONFNET_INSTANCE_PATH", str(tmp_path))
    app = create_app(app_config(database_uri, PRODUCTION=True))
    response = app.test_client().get(
        "/healthz", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert "max-age" in response.headers["Strict-Transport-Security"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no-such-page", 404),
        ("GET", "/c/no-such-conference/", 404),
        ("POST", "/healthz", 405),
        ("DELETE", "/", 405),
    ],
)
def test_error_pages_use_the_site_layout(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert 'class="tabbar"' in html and f"Error {status}" in html


def test_a_post_without_csrf_token_gets_400(client):
    response = client.post("/log-in", data={"email": "a@b.org", "password": "whatever"})
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_the_500_page(app, client, monkeypatch):
    from confnet.conferences import services

    def explode(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "open_conferences", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.get("/conferences")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


def test_static_assets_are_small(client):
    sizes = [len(client.get(p).data) for p in ("/static/css/app.css", "/static/js/app.js")]
    page = len(client.get("/log-in").data)
    assert sum(sizes) + page < 60 * 1024


def test_a_form_posted_as_json_is_refused_not_a_crash(client):
    """Found by tests/test_fuzz_forms.py: Flask-WTF read a JSON body that wasn't an object."""
    token = csrf(client, "/password-resets")  # past CSRF, in the header JavaScript would use
    for body in ("false", "[1, 2]", '{"email": ["a"]}'):
        response = client.post(
            "/password-resets",
            data=body,
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 415
