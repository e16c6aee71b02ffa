"""The rush scenario (issue 4): N attendees, one C-seat workshop, U concurrent clients.

After the load, the database is checked: exactly C confirmed, N - C waitlisted with positions
1..N-C in arrival (id) order, one seat per attendee, and the order the clients saw is the order
the database kept: a sign-up answered before another one was sent holds the smaller seat id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from bench.load import Load
from bench.report import Check, row
from bench.seed import RushData, seed_rush
from confnet.extensions import db
from confnet.models import ScheduleItem, Seat, SeatStatus, User
from confnet.workshops.services import waitlist_position

ROLES = {
    "GET /log-in": "rush: log-in page",
    "POST /log-in": "rush: log-in (scrypt)",
    "GET session page": "rush: session page with sign-up box",
    "POST sign-up": "rush: sign-up (the rush itself)",
}


@dataclass
class Rush:
    attendees: int = 500
    capacity: int = 30
    users: int = 50
    time_limit: int = 300
    flow: str = "gun"  # or "mixed", see bench/rush_locustfile.py
    data: RushData | None = field(default=None, init=False)

    name = "rush"

    def seed(self, app: Flask, workdir: Path) -> None:
        self.data = seed_rush(app, attendees=self.attendees, capacity=self.capacity)
        self._config = workdir / "rush.json"
        config = {
            "emails": self.data.emails,
            "password": self.data.password,
            "session_path": self.data.session_path,
            "signup_path": self.data.signup_path,
            "flow": self.flow,
        }
        self._config.write_text(json.dumps(config))

    def load(self) -> Load:
        env = {"BENCH_RUSH": str(self._config)}
        return Load("rush_locustfile.py", "RushAttendee", self.users, self.time_limit, env)

    def rows(self, result: dict) -> list[dict]:
        found = result["endpoints"]
        return [row(name, role, found[name]) for name, role in ROLES.items() if name in found]

    def summary(self, result: dict, signup_row: dict | None) -> tuple[list[str], dict]:
        extra = result["extra"]
        started, gun, finished = (extra.get(k) for k in ("started_at", "gun_at", "finished_at"))
        facts = {
            "flow": self.flow,
            "attendees": self.attendees,
            "capacity": self.capacity,
            "prepared": extra["state"]["prepared"],
            "signups_answered": len(extra["signups"]),
            "login_phase_s": _span(started, gun),
            "signup_phase_s": _span(gun if self.flow == "gun" else started, finished),
            "total_s": _span(started, finished),
        }
        if signup_row:
            facts.update(
                signups_per_s=signup_row["rps"],
                x_livez=signup_row["x_livez"],
                x_healthz=signup_row["x_healthz"],
                x_static=signup_row["x_static"],
            )
        lines = [
            f"**Rush** ({self.flow}): {facts['signups_answered']} of {self.attendees} sign-ups "
            f"answered in {_s(facts['signup_phase_s'])} "
            + (
                f"after the starting gun (log-in phase before it: {_s(facts['login_phase_s'])})"
                if self.flow == "gun"
                else "with log-ins interleaved"
            )
            + f"; {_s(facts['total_s'])} in all."
        ]
        if finished is None:
            lines.append(
                f"**Stopped by the time limit ({self.time_limit} s)** before every attendee was "
                "handled: the numbers cover only what was answered."
            )
        if signup_row:
            lines.append(
                f"Sign-up throughput {signup_row['rps']:.1f}/s = {_r(signup_row['x_livez'])} × "
                f"the /livez floor, {_r(signup_row['x_healthz'])} × the /healthz floor, "
                f"{_r(signup_row['x_static'])} × the static floor; "
                f"p50/p95/p99 {signup_row['p50']}/{signup_row['p95']}/{signup_row['p99']} ms."
            )
        return lines, facts

    def verify(self, app: Flask, result: dict) -> list[Check]:
        data = self.data
        expected_wait = self.attendees - self.capacity
        with app.app_context():
            item = db.session.get(ScheduleItem, data.item_id)
            seats = db.session.scalars(
                select(Seat).where(Seat.item_id == data.item_id).order_by(Seat.id)
            ).all()
            by_email = dict(
                db.session.execute(select(User.email, User.id).where(User.email.in_(data.emails)))
                .tuples()
                .all()
            )
            confirmed = [s for s in seats if s.status is SeatStatus.CONFIRMED]
            waiting = [s for s in seats if s.status is SeatStatus.WAITLISTED]
            positions = [waitlist_position(s) for s in waiting]
            taken = item.seats_taken
            db.session.remove()
        seat_of_user = {s.user_id: s.id for s in seats}
        checks = [
            Check(
                "every attendee has exactly one seat or waitlist place",
                len(seats) == self.attendees and set(seat_of_user) == set(by_email.values()),
                f"{len(seats)} seats for {len(seat_of_user)} people, {self.attendees} attendees",
            ),
            Check(
                f"exactly {self.capacity} confirmed",
                len(confirmed) == self.capacity and taken == self.capacity,
                f"{len(confirmed)} confirmed seats, seats_taken = {taken}",
            ),
            Check(
                f"exactly {expected_wait} waitlisted",
                len(waiting) == expected_wait,
                f"{len(waiting)} waitlisted, {len(seats) - len(confirmed) - len(waiting)} other",
            ),
            Check(
                "waitlist positions are 1..n in arrival (id) order",
                positions == list(range(1, len(waiting) + 1)),
                _first_mismatch(positions),
            ),
            Check(
                "every confirmed seat arrived before every waitlist place",
                _confirmed_first(confirmed, waiting),
            ),
            _client_order_check(result["extra"]["signups"], by_email, seat_of_user),
        ]
        return checks


def _client_order_check(signups: list[dict], by_email: dict, seat_of_user: dict) -> Check:
    """A sign-up answered before another was sent must hold the smaller seat id."""
    timed = sorted(
        (s["start"], s["end"], seat_of_user.get(by_email.get(s["email"]))) for s in signups
    )
    timed = [t for t in timed if t[2] is not None]
    wrong = sum(
        1
        for i, (_, end_a, id_a) in enumerate(timed)
        for start_b, _, id_b in timed[i + 1 :]
        if end_a < start_b and id_a > id_b
    )
    return Check(
        "arrival order in the database matches the order clients saw",
        wrong == 0 and len(timed) == len(signups),
        f"{wrong} inverted pairs among {len(timed)} answered sign-ups",
    )


def _confirmed_first(confirmed: list[Seat], waiting: list[Seat]) -> bool:
    if not (confirmed and waiting):
        return True  # nothing to order; the counts are checked separately
    return max(s.id for s in confirmed) < min(s.id for s in waiting)


def _first_mismatch(positions: list[int | None]) -> str:
    for expected, got in enumerate(positions, start=1):
        if got != expected:
            return f"place {expected} reports position {got}"
    return f"1..{len(positions)}"


def _span(start: float | None, end: float | None) -> float | None:
    return round(end - start, 2) if start and end else None


def _s(seconds: float | None) -> str:
    return "?" if seconds is None else f"{seconds:.1f} s"


def _r(value: float | None) -> str:
    return "?" if value is None else f"{value:.3f}"
