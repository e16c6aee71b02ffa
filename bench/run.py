"""``python -m bench.run rush|scale``: run a benchmark scenario and write its table.

``scale`` (issue 8: a large conference, every endpoint, SQL queries, worker RSS, feed rebuild) is
described in bench/scale.py; what follows describes ``rush``.

One run: a fresh database (SQLite by default; PostgreSQL when ``DATABASE_URL`` or
``--database-url`` names a server) -> migrate and seed -> gunicorn on 127.0.0.1 -> the floors
(GET /livez, GET /healthz, then a static file, each for a few seconds with the same number of
users) -> the scenario's load -> the floors again -> stop the server -> check the database ->
``bench/results/<scenario>-<db>.md`` and ``.json``, printed too.
Exits 1 when a check fails, 2 when the run itself breaks. SIGTERM and Ctrl-C still stop the
server and drop the database.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench import report
from bench.database import backend_of, describe, fresh_database
from bench.load import Load, LoadError, run_locust
from bench.rush import Rush
from bench.rush_queries import count_rush_queries
from bench.seed import migrate
from bench.server import ServerError, gunicorn, log_findings
from confnet import ROOT, create_app
from confnet.extensions import db

RESULTS = ROOT / "bench" / "results"
FLOORS = {"livez": "LivezFloor", "healthz": "HealthzFloor", "static": "StaticFloor"}
# Settings of the caller's shell that would change the server under test.
_SCRUBBED = ("DATABASE_URL", "SECRET_KEY", "MAIL_")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not 1 <= args.capacity < args.attendees:
        parser.error("the rush needs 1 <= --capacity < --attendees")
    if min(args.users, args.workers, args.time_limit, args.floor_seconds) < 1:
        parser.error("--users, --workers, --time-limit and --floor-seconds must be positive")
    if min(args.clients, args.endpoint_seconds, args.endpoint_max_requests, args.pair_seconds) < 1:
        parser.error(
            "--clients, --endpoint-seconds, --endpoint-max-requests and --pair-seconds must be "
            "positive"
        )
    if args.scale_attendees < 4 * args.clients:
        parser.error("--scale-attendees must be at least 4 x --clients")
    scenario = Rush(
        attendees=args.attendees,
        capacity=args.capacity,
        users=args.users,
        time_limit=args.time_limit,
        flow=args.flow,
    )
    try:
        backend = backend_of(args.database_url)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    if args.database_url and backend == "sqlite":
        print("A SQLite DATABASE_URL is not touched: the run uses its own file.", file=sys.stderr)
    # Unwind (stop gunicorn and locust, drop the database) on SIGTERM/SIGHUP as on Ctrl-C.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _exit_on_signal)
    workdir = Path(tempfile.mkdtemp(prefix="confnet-bench-"))
    keep = True
    try:
        if args.scenario == "scale":
            from bench import scale  # only now: it seeds 10,000 attendees

            result = scale.run_scale(args, backend, workdir)
            md_path, json_path = scale.write(result, Path(args.results), f"scale-{backend}")
            print(scale.markdown(result))
            print(f"Written: {md_path} and {json_path}")
            keep = args.keep or result["broken"]  # a missed target alone keeps nothing
            return 0 if result["ok"] else 1
        result = _run(args, scenario, backend, workdir)
        md_path, json_path = report.write(result, Path(args.results), f"rush-{backend}")
        print(report.markdown(result))
        print(f"Written: {md_path} and {json_path}")
        keep = args.keep or not result["ok"]
        return 0 if result["ok"] else 1
    except (LoadError, ServerError) as err:
        print(f"The benchmark run failed: {err}", file=sys.stderr)
        return 2
    finally:
        if keep:
            print(f"Logs and data kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def _run(args, scenario: Rush, backend: str, workdir: Path) -> dict:
    started = datetime.now(UTC)
    measured = _measure(args, scenario, workdir)
    runs = measured.runs
    floors = {key: _floor(key, runs[f"{key}-before"], runs[f"{key}-after"]) for key in FLOORS}
    floor_rows = [r for key in FLOORS for r in floors[key].pop("rows")]
    loaded = runs["scenario"]
    rows = floor_rows + scenario.rows(loaded)
    for each in rows:
        if each["name"] in measured.queries:
            each["queries"] = measured.queries[each["name"]]
    report.add_ratios(rows, {key: floors[key]["rps"] for key in FLOORS})
    signup = next((r for r in rows if r["name"] == "POST sign-up"), None)
    summary, facts = scenario.summary(loaded, signup)
    checks = measured.checks + _http_checks(rows, loaded, scenario)
    findings = log_findings(workdir / "gunicorn.log")
    db_name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
    loads = list(runs.values())
    return {
        "title": f"Workshop sign-up rush on {db_name}",
        "scenario": scenario.name,
        "database": backend,
        "database_url": describe(measured.uri),
        "started_at": started.isoformat(timespec="seconds"),
        "setup": _setup_line(args, started),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "server": {"workers": args.workers, "worker_class": "sync", "log": findings},
        "load": {
            "tool": f"locust {version('locust')}",
            "users": args.users,
            "floor_seconds": args.floor_seconds,
            "cpu_warning": any(r["load_generator_cpu_warning"] for r in loads),
        },
        "floors": floors,
        "endpoints": rows,
        "rush": facts,
        "summary": summary,
        "checks": report.checks_as_dicts(checks),
        "notes": _notes(findings, loads, floors),
        "ok": all(c.ok for c in checks),
    }


@dataclass
class Measured:
    uri: str = ""
    runs: dict[str, dict] = field(default_factory=dict)  # locust results: "healthz-before", ...
    checks: list[report.Check] = field(default_factory=list)  # the scenario's database checks
    queries: dict[str, int] = field(default_factory=dict)  # endpoint -> SQL statements


def _measure(args, scenario: Rush, workdir: Path) -> Measured:
    """Database, seed, server, floors before, scenario, floors after, database checks.

    The floors run on both sides of the scenario, so that a change in the machine's load
    during the run shows up as drift.
    """
    instance = workdir / "instance"
    instance.mkdir()
    secret = secrets.token_hex(32)
    os.environ["CONFNET_INSTANCE_PATH"] = str(instance)  # create_app reads it from here
    measured = Measured()
    with fresh_database(args.database_url, workdir) as uri:
        measured.uri = uri
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": secret})
        migrate(app)
        scenario.seed(app, workdir)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CONFNET_", *_SCRUBBED))}
        env.update(DATABASE_URL=uri, CONFNET_INSTANCE_PATH=str(instance), SECRET_KEY=secret)
        with gunicorn(env, workers=args.workers, log_path=workdir / "gunicorn.log") as host:
            for phase in ("before", "scenario", "after"):
                if phase == "scenario":
                    measured.runs[phase] = run_locust(scenario.load(), host, workdir, phase)
                    continue
                for key, user_class in FLOORS.items():
                    tag = f"{key}-{phase}"
                    load = _floor_load(user_class, args)
                    measured.runs[tag] = run_locust(load, host, workdir, tag)
        measured.checks = scenario.verify(app, measured.runs["scenario"])
        measured.queries = count_rush_queries(uri, secret, scenario.data)  # after: it signs up
        with app.app_context():
            db.engine.dispose()  # before the database is dropped
    return measured


def _floor(key: str, before: dict, after: dict) -> dict:
    """A floor measured before and after the scenario: its rows, mean requests/s and drift."""
    rows = [_floor_row(key, before, "before"), _floor_row(key, after, "after")]
    first, last = rows[0]["rps"], rows[1]["rps"]
    return {
        "rows": rows,
        "rps": (first + last) / 2,
        "rps_before": first,
        "rps_after": last,
        "drift": (last - first) / first if first else None,
    }


def _floor_load(user_class: str, args) -> Load:
    env = {"BENCH_MAX_REQUESTS": str(args.floor_max_requests)}
    return Load("floor_locustfile.py", user_class, args.users, args.floor_seconds, env)


def _floor_row(key: str, result: dict, when: str) -> dict:
    """The row of the one endpoint a floor run measured."""
    if len(result["endpoints"]) != 1:
        found = len(result["endpoints"])
        raise LoadError(f"the {key} floor recorded {found} endpoints; see {result['log']}")
    ((name, stats),) = result["endpoints"].items()
    return report.row(f"{name} ({when})", f"floor: {key}, {when} the rush", stats)


def _http_checks(rows: list[dict], loaded: dict, scenario: Rush) -> list[report.Check]:
    server_errors = sum(r["server_errors"] for r in rows)
    failures = {r["name"]: r["failures"] for r in rows if r["failures"]}
    signups = loaded["extra"]["signups"]
    answered = sum(1 for s in signups if s["status"] == 302)
    return [
        report.Check("zero 5xx responses (floors and rush)", not server_errors, str(server_errors)),
        report.Check("no failed requests", not failures and not loaded["exceptions"], _f(failures)),
        report.Check(
            f"all {scenario.attendees} sign-ups answered with a redirect to the session page",
            answered == scenario.attendees,
            f"{answered} of {scenario.attendees}",
        ),
    ]


def _f(failures: dict) -> str:
    return ", ".join(f"{name}: {n}" for name, n in failures.items()) or "0"


def _setup_line(args, started: datetime) -> str:
    return (
        f"{started:%Y-%m-%d %H:%M} UTC · gunicorn `app:app`, {args.workers} sync workers on "
        f"127.0.0.1 · locust {version('locust')}, {args.users} users (spawned within 1 s) · "
        f"{args.attendees} attendees, {args.capacity} seats, flow `{args.flow}` · floors before "
        f"and after the rush, {args.floor_seconds} s each (at most {args.floor_max_requests} "
        "requests) · "
        f"{os.cpu_count()} CPUs, load generator on the same machine."
    )


def _notes(findings: dict, loads: list[dict], floors: dict) -> list[str]:
    notes = [
        "Latencies in ms as locust records them (rounded to 10 ms above 100 ms, to 100 ms above "
        "1 s). req/s = requests / (first request sent to last answer) for that endpoint. "
        "Bytes = mean response body.",
        "Queries = SQL statements per request, counted in-process after the checks (Flask "
        "test client on the same database) for one more attendee going the same way: the "
        "sign-up is to the full workshop: a waitlist place, as every sign-up after the last "
        "seat got.",
        "Server log: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in findings.items()) + ".",
    ]
    drifts = ", ".join(
        f"{key} {f['rps_before']:.0f} -> {f['rps_after']:.0f} req/s ({f['drift']:+.0%})"
        for key, f in floors.items()
        if f["drift"] is not None
    )
    notes.append(
        f"Floor drift, before -> after the rush: {drifts}. Ratios use the mean; drift shows how "
        "much the machine's load moved during the run."
    )
    if any(r["load_generator_cpu_warning"] for r in loads):
        notes.append(
            "Warning: locust reported high CPU use: the load generator may be the bottleneck."
        )
    exceptions = [msg for r in loads for msg in r["exceptions"]]
    if exceptions:
        notes.append("Locust exceptions: " + "; ".join(exceptions[:5]))
    return notes


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("scenario", choices=["rush", "scale"], help="what to run")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="a PostgreSQL server to create the run's own database on (default: $DATABASE_URL; "
        "without it, SQLite in a temporary folder)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--users", type=int, default=50, help="concurrent locust users (50)")
    parser.add_argument("--attendees", type=int, default=500, help="rush: attendees (500)")
    parser.add_argument("--capacity", type=int, default=30, help="rush: seats (30)")
    parser.add_argument(
        "--flow", choices=["gun", "mixed"], default="gun", help="rush: see rush_locustfile.py"
    )
    parser.add_argument("--time-limit", type=int, default=300, help="rush: seconds (300)")
    parser.add_argument("--floor-seconds", type=int, default=10, help="each floor (10)")
    parser.add_argument("--clients", type=int, default=8, help="scale: concurrent users (8)")
    parser.add_argument(
        "--scale-attendees", type=int, default=10_000, help="scale: attendees (10,000)"
    )
    parser.add_argument(
        "--endpoint-seconds", type=int, default=12, help="scale: seconds per endpoint (12)"
    )
    parser.add_argument(
        "--pair-seconds", type=int, default=4, help="scale: the /livez run before each (4)"
    )
    parser.add_argument(
        "--endpoint-max-requests", type=int, default=20_000, help="scale: requests per endpoint"
    )
    parser.add_argument("--floor-max-requests", type=int, default=100_000)
    parser.add_argument(
        "--only",
        default="",
        help="scale: a comma-separated subset of the endpoints (e.g. feed-200,feed-304) for a "
        "quick look; the report then misses the other targets",
    )
    parser.add_argument("--results", default=str(RESULTS), help="where the tables go")
    parser.add_argument("--keep", action="store_true", help="keep the logs and the SQLite file")
    return parser


if __name__ == "__main__":
    sys.exit(main())
