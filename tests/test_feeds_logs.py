"""Feed tokens never reach a log: the development server's request log, gunicorn's access and
error logs (through gunicorn.conf.py), and confnet's own error messages."""

import io
import logging
import runpy
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from werkzeug.serving import make_server

from confnet.database import utcnow
from confnet.feeds import services
from confnet.feeds.logs import redact

SECRET = "test-secret-key"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def token(make):
    user = make.user()
    feed = services.turn_on_feed(user, secret=SECRET, now=utcnow())
    return services.make_token(feed.salt, SECRET)


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_redact_covers_plain_and_encoded_feed_paths_only():
    assert redact("GET /feeds/Abc_-1.ics HTTP/1.1") == "GET /feeds/[redacted] HTTP/1.1"
    assert (
        redact("cid=webcal%3A%2F%2Fh%2Ffeeds%2FAbc.ics&x")
        == "cid=webcal%3A%2F%2Fh/feeds/[redacted]&x"
    )
    assert (
        redact('File "/srv/confnet/feeds/views.py", line 9')
        == 'File "/srv/confnet/feeds/views.py", line 9'
    )
    assert redact("GET /account/calendar HTTP/1.1") == "GET /account/calendar HTTP/1.1"


def test_the_development_server_log_has_no_tokens(app, token):
    capture = Capture()
    werkzeug_log = logging.getLogger("werkzeug")
    werkzeug_log.addHandler(capture)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        for path in (f"/feeds/{token}.ics", "/feeds/not-a-token.ics"):
            try:
                urllib.request.urlopen(base + path, timeout=10).read()
            except urllib.error.HTTPError as err:
                assert err.code == 404
    finally:
        server.shutdown()
        thread.join(timeout=10)
        werkzeug_log.removeHandler(capture)
    requests = [line for line in capture.lines if "/feeds/" in line]
    assert len(requests) == 2, capture.lines
    assert all("GET /feeds/[redacted] HTTP/1.1" in line for line in requests)
    assert not any(token in line or "not-a-token" in line for line in capture.lines)


def test_confnet_error_messages_have_no_tokens(client, token, monkeypatch):
    def broken(*_args):
        raise RuntimeError(f"boom while reading /feeds/{token}.ics")

    monkeypatch.setattr("confnet.feeds.services.open_feed_state", broken)
    handler = logging.getLogger("confnet").handlers[0]
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        assert client.get(f"/feeds/{token}.ics").status_code == 500
    finally:
        handler.setStream(old)
    text = stream.getvalue()
    assert "unhandled error on GET /feeds/[redacted]" in text
    assert "boom while reading /feeds/[redacted]" in text  # in the traceback too
    assert token not in text


def test_gunicorns_access_and_error_logs_have_no_tokens(tmp_path, token):
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("logger_class", settings["logger_class"])
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("errorlog", str(tmp_path / "error.log"))
    logger = config.logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/feeds/{token}.ics",
        "PATH_INFO": f"/feeds/{token}.ics",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": "Google-Calendar-Importer",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=512)
    request = SimpleNamespace(headers=[("Host", "confnet.test")])
    logger.access(response, request, environ, timedelta(milliseconds=3))
    logger.error("Error handling request %s", f"/feeds/{token}.ics")
    for handler in logger.access_log.handlers + logger.error_log.handlers:
        handler.flush()
    access = (tmp_path / "access.log").read_text()
    error = (tmp_path / "error.log").read_text()
    assert '"GET /feeds/[redacted] HTTP/1.1" 200' in access
    assert "Error handling request /feeds/[redacted]" in error
    assert token not in access + error
