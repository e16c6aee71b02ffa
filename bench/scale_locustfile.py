"""One endpoint of the scale scenario (issue 8), hammered by logged-in attendees.

The configuration (JSON file named by ``BENCH_SCALE``, written by bench/scale.py) lists the
seeded attendees, their feed tokens and the ids to visit; ``BENCH_ENDPOINT`` names the endpoint
of this run (a key of ``bench.scale_endpoints.LABELS``). Each locust user logs in once, as its
own attendee, before its first request (the log-in is recorded under its own name and left out
of the endpoint's row).
The run stops at ``BENCH_MAX_REQUESTS`` requests of the endpoint or at locust's ``--run-time``.
"""

import itertools
import json
import os
import re
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, task

from bench.locust_stats import csrf_token, get_as_sent
from bench.scale_endpoints import ANONYMOUS, LABELS, SEARCHES

CONFIG = json.loads(Path(os.environ["BENCH_SCALE"]).read_text())
ENDPOINT = os.environ["BENCH_ENDPOINT"]
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "100000"))
SLUG = CONFIG["slug"]
_VERSION = re.compile(r'name="version"[^>]*?value="(\d+)"')
_next_user = itertools.count()
_sent = 0


class ScaleClient(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.n = next(_next_user)
        self.i = 0
        self.etag = None
        self.label = LABELS[ENDPOINT]
        if ENDPOINT not in ANONYMOUS:
            self._log_in(CONFIG["emails"][self.n % len(CONFIG["emails"])])
        if ENDPOINT == "note-save":
            self._open_editor()

    def _log_in(self, email: str) -> None:
        with self.client.get("/log-in", name="GET /log-in", catch_response=True) as response:
            token = csrf_token(response.text or "")
        form = {"email": email, "password": CONFIG["password"], "csrf_token": token or ""}
        with self.client.post(
            "/log-in", data=form, name="POST /log-in", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"log-in answered {response.status_code}")

    def _open_editor(self) -> None:
        """Each user edits its own note, so saves never conflict with each other."""
        self.note_item = CONFIG["note_item_ids"][self.n % len(CONFIG["note_item_ids"])]
        path = f"/c/{SLUG}/sessions/{self.note_item}/notes?edit=1"
        with self.client.get(path, name="GET note editor", catch_response=True) as response:
            html = response.text or ""
            self.token = csrf_token(html)
            found = _VERSION.search(html)
            self.version = int(found.group(1)) if found else 0

    @task
    def hit(self):
        global _sent
        if _sent >= MAX_REQUESTS:
            if _sent == MAX_REQUESTS:  # the first user to notice ends the run
                _sent += 1
                gevent.spawn(self.environment.runner.quit)
            gevent.sleep(1)
            return
        _sent += 1
        self.i += 1
        getattr(self, "_" + ENDPOINT.replace("-", "_"))()

    def _get(self, path: str, expect: int = 200, headers: dict | None = None):
        with get_as_sent(
            self.client, path, name=self.label, headers=headers, allow_redirects=False
        ) as response:
            if response.status_code != expect:
                response.failure(f"{path} answered {response.status_code}, not {expect}")
            return response

    def _schedule_day(self):
        days = CONFIG["days"]
        self._get(f"/c/{SLUG}/schedule?day={days[(self.n + self.i) % len(days)]}")

    def _session(self):
        items = CONFIG["item_ids"]
        self._get(f"/c/{SLUG}/sessions/{items[(self.n * 97 + self.i * 31) % len(items)]}")

    def _agenda(self):
        self._get(f"/c/{SLUG}/agenda")

    def _feed_path(self) -> str:
        tokens = CONFIG["feed_tokens"]
        return f"/feeds/{tokens[self.n % len(tokens)]}.ics"

    def _feed_200(self):
        self._get(self._feed_path())

    def _feed_304(self):
        if self.etag is None:
            response = self.client.get(self._feed_path(), name="GET personal feed (first)")
            self.etag = (response.headers or {}).get("ETag", "")
        self._get(self._feed_path(), 304, {"If-None-Match": self.etag})

    def _conference_feed(self):
        self._get(f"/c/{SLUG}/schedule.ics")

    def _schedule_json(self):
        self._get(f"/c/{SLUG}/schedule.json")

    def _directory(self):
        query = SEARCHES[(self.n + self.i) % len(SEARCHES)]
        self._get(f"/c/{SLUG}/people?q={query.replace(' ', '+')}")

    def _suggestions(self):
        self._get(f"/c/{SLUG}/people/suggestions")

    def _note(self):
        items = CONFIG["note_item_ids"]
        self._get(f"/c/{SLUG}/sessions/{items[(self.n * 7 + self.i) % len(items)]}/notes")

    def _note_save(self):
        body = f"# Notes\n\nSaved by load user {self.n}, save {self.i}.\n"
        form = {"body": body, "version": str(self.version), "csrf_token": self.token or ""}
        path = f"/c/{SLUG}/sessions/{self.note_item}/notes"
        with self.client.post(
            path, data=form, name=self.label, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                self.version += 1
            else:
                response.failure(f"note save answered {response.status_code}")
