"""``.venv/bin/python bench/suggestions.py``: one attendee's suggestions in a 10,000-attendee
conference: wall time and SQL queries.

One run: a fresh SQLite database in a temporary folder (and, with ``--database-url``, a fresh
database on that PostgreSQL server too, dropped afterwards; see bench/database.py) -> migrate ->
seed in bulk one conference with ``--attendees`` attendees with varied profiles, intents,
interests, languages and 6-14 starred sessions each, plus blocks, introductions and dismissals
for the measured attendees -> one computation that reads the conference's people anew (as the
first in a worker, or the first after any change to them: see confnet/people/roster.py) -> for
each of ``--viewers`` attendees, ``--runs`` computations of ``suggest_people`` in a fresh
database session -> a Markdown table (median and max wall time, median CPU time of this process,
which excludes the database server's own work on PostgreSQL; queries per computation) and the
first read's time and queries. Exits 1 when the number of queries differs between attendees.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a plain script

from sqlalchemy import event, insert, select  # noqa: E402

from bench.database import backend_of, describe, fresh_database  # noqa: E402
from bench.seed import migrate  # noqa: E402
from confnet import create_app  # noqa: E402
from confnet.database import write_intent  # noqa: E402
from confnet.extensions import db  # noqa: E402
from confnet.models import (  # noqa: E402
    Block,
    CareerStage,
    Conference,
    Dismissal,
    Introduction,
    IntroductionStatus,
    ItemKind,
    Membership,
    Offer,
    Profession,
    Profile,
    ProfileOffer,
    ProfileSeek,
    ScheduleItem,
    Seek,
    Star,
    User,
)
from confnet.people.roster import forget_rosters  # noqa: E402
from confnet.people.suggestions import forget_rankings, suggest_people  # noqa: E402

SLUG = "bench-people"
SESSIONS = 120
SPECIALTIES = (
    ("Cardiology", ("Heart failure", "Electrophysiology", "Interventional cardiology")),
    ("Oncology", ("Breast cancer", "Immunotherapy", "Haematological malignancies")),
    ("Infectious diseases", ("Antimicrobial stewardship", "Sepsis", "HIV")),
    ("Nursing", ("Intensive care", "Oncology nursing", "Cardiac care")),
    ("Pharmacy", ("Hospital pharmacy", "Oncology pharmacy", "Clinical pharmacology")),
    ("Digital health", ("AI in imaging", "Remote monitoring", "Interoperability")),
)
TAGS = [
    "heart failure",
    "sepsis",
    "AI in healthcare",
    "mentoring",
    "global health",
    "medical education",
    "leadership",
    "health equity",
    "wellbeing",
    "quality improvement",
    "teaching",
    "patient safety",
    "clinical trials",
    "open science",
    "remote monitoring",
    "immunotherapy",
    "simulation",
]
COUNTRIES = ("Netherlands", "Germany", "Belgium", "France", "Spain", "Italy", "United Kingdom")
LANGUAGES = ("Dutch", "German", "French", "Spanish", "Italian", "Portuguese")


def _profile_row(user_id: int, rng: random.Random) -> dict:
    specialty, subs = rng.choice(SPECIALTIES)
    country = rng.choice(COUNTRIES)
    return {
        "user_id": user_id,
        "profession": rng.choice(list(Profession)),
        "career_stage": rng.choice(list(CareerStage)),
        "specialty": specialty,
        "sub_specialty": rng.choice(subs),
        "organization": f"Hospital {rng.randint(1, 400)}",
        "city": f"City {rng.randint(1, 60)}",
        "country": country,
        "interests": ", ".join(rng.sample(TAGS, rng.randint(2, 5))),
        "languages": ", ".join(["English", *rng.sample(LANGUAGES, rng.randint(0, 2))]),
        "bio": "Here to meet people.",
    }


def _bulk(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(model), rows[start : start + 5000])


def _add_sessions(conference_id: int) -> list[int]:
    starts = datetime(2027, 3, 26, 8, tzinfo=UTC)
    items = [
        {
            "conference_id": conference_id,
            "title": f"Session {n}",
            "kind": ItemKind.TALK,
            "starts_at": starts + timedelta(minutes=10 * n),
            "ends_at": starts + timedelta(minutes=10 * n + 30),
        }
        for n in range(SESSIONS)
    ]
    _bulk(ScheduleItem, items)
    return list(db.session.scalars(select(ScheduleItem.id).order_by(ScheduleItem.id)))


def seed(attendees: int, rng: random.Random) -> tuple[int, list[int]]:
    """The conference and its attendees (bulk inserts); returns the conference id and the user
    ids in order. Commits."""
    first = date(2027, 3, 26)
    conference = Conference(
        slug=SLUG, name="Bench People", starts_on=first, ends_on=first, timezone="UTC"
    )
    db.session.add(conference)
    db.session.flush()
    item_ids = _add_sessions(conference.id)
    users = [
        {"email": f"people-{n:05d}@confnet.test", "name": f"Attendee {n:05d}", "password_hash": "-"}
        for n in range(attendees)
    ]
    _bulk(User, users)
    ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    _bulk(Membership, [{"conference_id": conference.id, "user_id": uid} for uid in ids])
    _bulk(Profile, [_profile_row(uid, rng) for uid in ids])
    offers, seeks = list(Offer), list(Seek)
    _bulk(ProfileOffer, [{"user_id": u, "offer": o} for u in ids for o in _some(offers, rng)])
    _bulk(ProfileSeek, [{"user_id": u, "seek": s} for u in ids for s in _some(seeks, rng)])
    stars = [
        {"user_id": uid, "item_id": item}
        for uid in ids
        for item in rng.sample(item_ids, rng.randint(6, 14))
    ]
    _bulk(Star, stars)
    db.session.commit()
    return conference.id, ids


def _some(options: list, rng: random.Random) -> list:
    return rng.sample(options, rng.choice((0, 1, 1, 2)))


def add_relations(conference_id: int, viewer: int, others: list[int]) -> None:
    """A few blocks, introductions and dismissals for ``viewer`` (all excluded from results)."""
    for n, other in enumerate(others):
        if n % 3 == 0:
            db.session.add(Block(blocker_id=viewer, blocked_id=other))
        elif n % 3 == 1:
            a, b = sorted((viewer, other))
            db.session.add(
                Introduction(
                    conference_id=conference_id,
                    person_a_id=a,
                    person_b_id=b,
                    requested_by_id=viewer,
                    status=IntroductionStatus.DECLINED,
                )
            )
        else:
            db.session.add(
                Dismissal(user_id=viewer, conference_id=conference_id, dismissed_id=other)
            )
    db.session.commit()


@contextmanager
def counting_queries():
    statements: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def measure_first_read(conference_id: int, viewer_id: int) -> dict:
    """Wall time (ms) and queries of a computation that reads the conference's people anew."""
    forget_rosters()
    forget_rankings()
    db.session.remove()
    user = db.session.get(User, viewer_id)
    conference = db.session.get(Conference, conference_id)
    with counting_queries() as statements:
        started = time.perf_counter()
        suggest_people(user, conference)
        wall = (time.perf_counter() - started) * 1000
    return {"wall": wall, "queries": len(statements)}


def measure(conference_id: int, viewer_id: int, runs: int) -> dict:
    """Wall and CPU times (ms) and queries of ``runs`` computations, each in a fresh session."""
    times, cpu, queries, found = [], [], set(), 0
    for _ in range(runs):
        forget_rankings()  # each run ranks: this measures the computation
        db.session.remove()
        user = db.session.get(User, viewer_id)
        conference = db.session.get(Conference, conference_id)
        with counting_queries() as statements:
            started, started_cpu = time.perf_counter(), time.process_time()
            found = len(suggest_people(user, conference).matches)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries.add(len(statements))
    return {
        "viewer": viewer_id,
        "median": statistics.median(times),
        "max": max(times),
        "cpu": statistics.median(cpu),
        "queries": sorted(queries),
        "found": found,
    }


def run(uri: str, args: argparse.Namespace) -> tuple[list[dict], dict]:
    os.environ.setdefault("CONFNET_INSTANCE_PATH", tempfile.mkdtemp(prefix="confnet-bench-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": secrets.token_hex(16)})
    migrate(app)
    rng = random.Random(args.seed)
    with app.app_context():
        with write_intent():
            started = time.perf_counter()
            conference_id, ids = seed(args.attendees, rng)
            viewers = rng.sample(ids, args.viewers)
            for viewer in viewers:
                others = rng.sample([uid for uid in ids if uid != viewer], 12)
                add_relations(conference_id, viewer, others)
            print(f"  seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        first = measure_first_read(conference_id, viewers[0])
        results = [measure(conference_id, viewer, args.runs) for viewer in viewers]
        db.session.remove()
        db.engine.dispose()
    return results, first


def table(backend: str, attendees: int, results: list[dict], first: dict) -> str:
    lines = [
        f"### {backend}, {attendees:,} attendees",
        "",
        "| attendee | median ms | max ms | median CPU ms (this process) | queries | suggestions |",
        "|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        queries = "/".join(str(q) for q in r["queries"])
        lines.append(
            f"| {r['viewer']} | {r['median']:.1f} | {r['max']:.1f} | {r['cpu']:.1f} "
            f"| {queries} | {r['found']} |"
        )
    medians, worst = [r["median"] for r in results], max(r["max"] for r in results)
    lines += ["", f"Median of the medians {statistics.median(medians):.1f} ms; max {worst:.1f} ms."]
    lines.append(
        f"Reading the conference's people anew (a new worker, or after any change to them): "
        f"{first['wall']:.1f} ms, {first['queries']} queries."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="also run on a new database on this PostgreSQL")
    parser.add_argument("--attendees", type=int, default=10_000, help="(10,000)")
    parser.add_argument("--viewers", type=int, default=5, help="attendees measured (5)")
    parser.add_argument("--runs", type=int, default=7, help="computations per attendee (7)")
    parser.add_argument("--seed", type=int, default=2027, help="random seed (2027)")
    args = parser.parse_args(argv)
    if min(args.attendees, args.viewers, args.runs) < 1 or args.viewers > args.attendees // 20:
        parser.error("--attendees, --viewers and --runs must be positive, viewers <= 5%")
    servers = [None] + ([args.database_url] if args.database_url else [])
    failed = False
    with tempfile.TemporaryDirectory(prefix="confnet-bench-") as workdir:
        for server in servers:
            backend = backend_of(server)
            with fresh_database(server, Path(workdir)) as uri:
                print(f"{backend}: {describe(uri)}", file=sys.stderr)
                results, first = run(uri, args)
            print(table(backend, args.attendees, results, first) + "\n")
            failed |= len({q for r in results for q in r["queries"]}) != 1
    if failed:
        print("The number of queries differs between attendees.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
