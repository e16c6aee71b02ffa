"""The workshop sign-up rush: every attendee in the pool takes a seat (or a waitlist place) once.

Each locust user repeatedly takes the next attendee from a shared pool, logs in through the real
form (GET /log-in for the CSRF token, POST), then opens the session page for a fresh token and
checks that it offers the sign-up form. Then, depending on ``flow``:

- ``gun`` (default): the attendee waits, page open, until everyone is logged in; then all users
  fire their sign-ups at once, 50 at a time, each with its own attendee's cookies. This is the
  opening rush of issue 4, and its throughput is the sign-up route's, not the log-in's (scrypt,
  about 0.1 s of CPU per log-in, would otherwise set the pace).
- ``mixed``: the attendee signs up straight away, so log-ins and sign-ups interleave.

The run ends when every attendee has been handled (or at ``--run-time``). Configuration comes
from the JSON file named by ``BENCH_RUSH`` (written by bench/run.py).
"""

import json
import os
import time
from collections import deque
from pathlib import Path

import gevent
from gevent.event import Event
from locust import FastHttpUser, constant, events, task

from bench.locust_stats import csrf_token, extra

CONFIG = json.loads(Path(os.environ["BENCH_RUSH"]).read_text())
FLOW = CONFIG.get("flow", "gun")
PENDING = deque(CONFIG["emails"])
READY: deque = deque()
GUN = Event()
TOTAL = len(PENDING)
signups: list[dict] = []
state = {"prepared": 0, "unprepared": 0, "finished": 0, "quitting": False}
extra.update(flow=FLOW, attendees=TOTAL, signups=signups, state=state)


@events.test_start.add_listener
def _started(**_kw):
    extra["started_at"] = time.time()


class RushAttendee(FastHttpUser):
    wait_time = constant(0)

    @task
    def attend(self):
        if PENDING:
            attendee = None
            try:
                attendee = self._prepare(PENDING.popleft())
            finally:
                _prepared(attendee is not None, self.environment)
            if attendee is not None and FLOW == "mixed":
                self._sign_up(attendee)
            elif attendee is not None:
                READY.append(attendee)
            return
        GUN.wait()
        if READY:
            self._sign_up(READY.popleft())
        else:
            gevent.sleep(0.5)  # nothing left for this user: idle until the run ends

    def _prepare(self, email: str):
        """Log in as ``email`` and open the session page: (email, cookies, token) or None."""
        self.client.cookiejar.clear()
        token = self._token("/log-in", "GET /log-in")
        if token is None:
            return None
        form = {"email": email, "password": CONFIG["password"], "csrf_token": token}
        with self.client.post(
            "/log-in", data=form, name="POST /log-in", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"log-in answered {response.status_code}, not a redirect")
                return None
        token = self._token(CONFIG["session_path"], "GET session page")
        return token and (email, list(self.client.cookiejar), token)

    def _token(self, path: str, name: str) -> str | None:
        with self.client.get(path, name=name, catch_response=True) as response:
            html = (response.text or "") if response.status_code == 200 else ""
            token = csrf_token(html)
            if token is None:
                response.failure(f"no CSRF token on {path} ({response.status_code})")
            elif path == CONFIG["session_path"] and CONFIG["signup_path"] not in html:
                response.failure("the session page offers no sign-up form")
                token = None
            return token

    def _sign_up(self, attendee) -> None:
        email, cookies, token = attendee
        jar = self.client.cookiejar
        jar.clear()
        for cookie in cookies:
            jar.set_cookie(cookie)
        started = time.time()
        try:
            with self.client.post(
                CONFIG["signup_path"],
                data={"csrf_token": token},
                name="POST sign-up",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                ended = time.time()
                status = response.status_code
                location = (response.headers or {}).get("Location", "")
                if status != 302 or not location.endswith(CONFIG["session_path"]):
                    response.failure(f"sign-up answered {status} {location!r}")
            signups.append({"email": email, "start": started, "end": ended, "status": status})
        finally:
            state["finished"] += 1
            _maybe_quit(self.environment)


def _prepared(ok: bool, environment) -> None:
    state["prepared" if ok else "unprepared"] += 1
    if state["prepared"] + state["unprepared"] == TOTAL:
        extra["gun_at"] = time.time()  # everyone is logged in with the page open
        GUN.set()
    _maybe_quit(environment)


def _maybe_quit(environment) -> None:
    """End the run once every attendee who got ready has had their sign-up answered."""
    everyone_tried = state["prepared"] + state["unprepared"] == TOTAL
    if everyone_tried and state["finished"] == state["prepared"] and not state["quitting"]:
        state["quitting"] = True
        extra["finished_at"] = time.time()
        gevent.spawn(environment.runner.quit)
