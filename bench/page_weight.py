"""``make bench-pages``: what the main pages weigh on a phone's network, first and repeat visit.

One run: the demo conference (published) in a temporary SQLite database -> the app served by a
threaded WSGI server on 127.0.0.1 -> Debian's Chromium (Playwright, 390x844) logs in as a demo
attendee -> each main page (schedule day, session page, my agenda, people directory, a session's
shared notes) is opened in a browser context with an empty cache, then opened again, with service
workers blocked: this is HTTP alone, as on a first visit or without JavaScript (the service
worker's offline copy of a conference is fetched in the background on top of it). Per page:
the HTML's bytes on the wire (compressed) and decoded, the total weight of the first visit (every
response's body as transferred), and on the repeat visit the requests the server received and the
bytes transferred. A Markdown table is printed and written, with a JSON copy, to
``bench/results/page-weight.md`` and ``.json``.

``tests/e2e/test_page_weight.py`` measures with the same functions and asserts the budgets.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a plain script

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
# The browser asks for the service worker's script on navigations by design (never cached).
NOT_COUNTED = frozenset({"/sw.js"})


class HitCounter:
    """WSGI middleware: the paths of the requests that reached the server, in order."""

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app
        self.paths: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self._lock:
            self.paths.append(environ.get("PATH_INFO", ""))
        return self.wsgi_app(environ, start_response)

    def take(self) -> list[str]:
        """The paths seen since the last call (ignoring NOT_COUNTED), and start afresh."""
        with self._lock:
            paths, self.paths = self.paths, []
        return [path for path in paths if path not in NOT_COUNTED]


@dataclass
class Visit:
    """One page load as the browser saw it."""

    html_wire: int  # the document's body bytes as transferred (compressed when it was)
    html_decoded: int  # the same body decoded
    wire: int  # every response body of the load, as transferred
    responses: int  # responses the browser received from the network
    server_hits: list[str]  # paths the server received during the load


@dataclass
class PageWeight:
    name: str
    path: str
    first: Visit
    repeat: Visit


def visit(page, url: str, counter: HitCounter) -> Visit:
    """Open ``url`` in ``page`` (a normal navigation, as following a link) and measure it."""
    counter.take()
    finished = []

    def record(request) -> None:
        finished.append(request)

    page.on("requestfinished", record)
    try:
        response = page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
    finally:
        page.remove_listener("requestfinished", record)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    sizes = [(request, request.sizes()) for request in finished]
    wire = sum(max(s["responseBodySize"], 0) for _, s in sizes)
    document = next(s for r, s in sizes if r.resource_type == "document")
    return Visit(
        html_wire=max(document["responseBodySize"], 0),
        html_decoded=len(response.body()),
        wire=wire,
        responses=sum(1 for _, s in sizes if s["responseHeadersSize"] > 0),
        server_hits=counter.take(),
    )


def weigh(browser, base: str, storage_state: dict, name: str, path: str, counter) -> PageWeight:
    """The page opened with an empty cache, then once more in the same browser context."""
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        storage_state=storage_state,
        service_workers="block",
    )
    try:
        page = context.new_page()
        first = visit(page, base + path, counter)
        page.goto("about:blank")
        repeat = visit(page, base + path, counter)
    finally:
        context.close()
    return PageWeight(name, path, first, repeat)


def main_pages(page, base: str, slug: str) -> list[tuple[str, str]]:
    """(name, path) of the pages measured; the session is the schedule's first listed one."""
    page.goto(f"{base}/c/{slug}/schedule")
    href = page.locator(".day a[href*='/sessions/']").first.get_attribute("href")
    session = href.split("#")[0]
    return [
        ("schedule day", f"/c/{slug}/schedule"),
        ("session page", session),
        ("my agenda", f"/c/{slug}/agenda"),
        ("people directory", f"/c/{slug}/people"),
        ("shared notes", f"{session}/notes"),
    ]


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/log-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def measure(browser, base: str, slug: str, email: str, password: str, counter) -> list:
    """Log in once, then weigh every main page in a fresh context sharing that session."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, service_workers="block")
    try:
        page = context.new_page()
        log_in(page, base, email, password)
        pages = main_pages(page, base, slug)
        state = context.storage_state()
    finally:
        context.close()
    return [weigh(browser, base, state, name, path, counter) for name, path in pages]


def table(weights: list[PageWeight]) -> str:
    kb = lambda n: f"{n / 1024:.1f}"  # noqa: E731
    lines = [
        "| page | HTML on the wire KB | HTML decoded KB | first visit KB | first visit "
        "responses | repeat visit requests to the server | repeat visit KB |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for w in weights:
        hits = ", ".join(w.repeat.server_hits) or "none"
        lines.append(
            f"| {w.name} | {kb(w.first.html_wire)} | {kb(w.first.html_decoded)} "
            f"| {kb(w.first.wire)} | {w.first.responses} | {len(w.repeat.server_hits)} ({hits}) "
            f"| {kb(w.repeat.wire)} |"
        )
    return "\n".join(lines)


@contextmanager
def demo_server() -> Iterator[tuple[str, HitCounter, object]]:
    """The published demo in a temporary SQLite database, served on a free loopback port."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from confnet import create_app
    from confnet.database import write_intent
    from confnet.demo import publish_demo, seed_demo
    from confnet.extensions import db

    with tempfile.TemporaryDirectory(prefix="confnet-pages-") as tmp:
        os.environ["CONFNET_INSTANCE_PATH"] = tmp
        uri = f"sqlite:///{Path(tmp) / 'pages.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": secrets.token_hex(16)})
        with app.app_context():
            upgrade()
            with write_intent():
                demo = seed_demo()
                publish_demo(demo)
                db.session.commit()
            slug = demo.conference.slug
            login = next(login for login in demo.logins if login.role == "attendee")
        counter = HitCounter(app.wsgi_app)
        app.wsgi_app = counter
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", counter, (slug, login)
        finally:
            server.shutdown()
            thread.join(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=RESULTS / "page-weight")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

    with demo_server() as (base, counter, (slug, login)), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            weights = measure(browser, base, slug, login.email, login.password, counter)
        finally:
            browser.close()
    text = table(weights)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".md").write_text(
        "# Page weight (demo conference, phone)\n\n" + text + "\n"
    )
    args.out.with_suffix(".json").write_text(json.dumps([asdict(w) for w in weights], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
