"""``python -m bench.run scale``: the issue 8 instrument on a large conference.

One run: a fresh database -> migrate -> bulk seed (bench/scale_seed.py, timed) -> gunicorn on
127.0.0.1 -> the /livez, /healthz and static floors -> each endpoint for ``--endpoint-seconds``
(at most ``--endpoint-max-requests``) with ``--clients`` logged-in locust users
(bench/scale_locustfile.py), each right after a short /livez run (``--pair-seconds``; its
ratio is to the /livez runs on either side of it) -> the floors again -> every gunicorn
worker's RSS -> a schedule change published and the first conference-feed / schedule.json
requests timed (the rebuild) -> the server stops -> SQL queries per request, counted in-process
(Flask test client on the same database, two attendees) -> ``bench/results/scale-<db>.md`` and
``.json``, printed too. Exits 1 when a target is missed.
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

from bench import report
from bench.database import describe, fresh_database
from bench.load import Load, run_locust
from bench.scale_endpoints import LABELS, TARGETS
from bench.scale_queries import count_queries
from bench.scale_seed import ScaleData, seed_scale
from bench.seed import migrate
from bench.server import gunicorn, log_findings
from confnet import create_app
from confnet.database import write_intent
from confnet.extensions import db
from confnet.models import Conference, ScheduleItem, User
from confnet.releases.services import publish_schedule

# /livez is the floor every ratio and target uses; /healthz (one SELECT 1) and a static file
# are measured too, for reference.
FLOORS = {"livez": "LivezFloor", "healthz": "HealthzFloor", "static": "StaticFloor"}
_SCRUBBED = ("DATABASE_URL", "SECRET_KEY", "MAIL_")
_BOOTED = re.compile(r"Booting worker with pid: (\d+)")


def run_scale(args, backend: str, workdir: Path) -> dict:
    """Measure everything; the report as a dict (see ``markdown``)."""
    started = datetime.now(UTC)
    instance = workdir / "instance"
    instance.mkdir()
    secret = secrets.token_hex(32)
    os.environ["CONFNET_INSTANCE_PATH"] = str(instance)
    facts: dict = {}
    with fresh_database(args.database_url, workdir) as uri:
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": secret})
        migrate(app)
        data = seed_scale(app, attendees=args.scale_attendees, logins=args.clients * 2)
        print(f"Seeded {args.scale_attendees:,} attendees in {data.seconds:.1f} s", flush=True)
        config = workdir / "scale.json"
        config.write_text(json.dumps(_config(data)))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CONFNET_", *_SCRUBBED))}
        env.update(DATABASE_URL=uri, CONFNET_INSTANCE_PATH=str(instance), SECRET_KEY=secret)
        # One load generator is one client address making thousands of requests as 8 people:
        # the rate limits (confnet.limits) would refuse it by design, so they are off here. The
        # rush (bench/rush.py) keeps them on.
        env["CONFNET_RATE_LIMITS"] = "false"
        log_path = workdir / "gunicorn.log"
        with gunicorn(env, workers=args.workers, log_path=log_path) as host:
            runs = _load_runs(args, host, workdir, config)
            facts["rss_mb"] = worker_rss(log_path)
            facts["rebuild"] = time_rebuild(app, data, host)
        queries = count_queries(uri, secret, data, _endpoints(args))
        with app.app_context():
            db.engine.dispose()
    return _result(args, backend, uri, started, data, runs, facts, queries, log_path)


def _config(data: ScaleData) -> dict:
    keys = ("slug", "password", "days", "item_ids", "note_item_ids", "emails", "feed_tokens")
    return {key: getattr(data, key) for key in keys}


def _endpoints(args) -> list[str]:
    """The endpoints of this run: all of them, or those named by ``--only``."""
    only = {key for key in args.only.split(",") if key}
    return [key for key in LABELS if not only or key in only]


def _load_runs(args, host: str, workdir: Path, config: Path) -> dict[str, dict]:
    runs = {}
    floor_env = {"BENCH_MAX_REQUESTS": str(args.floor_max_requests)}
    for phase in ("before", "endpoints", "after"):
        if phase != "endpoints":
            for key, user_class in FLOORS.items():
                load = Load(
                    "floor_locustfile.py", user_class, args.clients, args.floor_seconds, floor_env
                )
                runs[f"{key}-{phase}"] = run_locust(load, host, workdir, f"{key}-{phase}")
            continue
        for endpoint in _endpoints(args):
            env = {
                "BENCH_SCALE": str(config),
                "BENCH_ENDPOINT": endpoint,
                "BENCH_MAX_REQUESTS": str(args.endpoint_max_requests),
            }
            load = Load(
                "scale_locustfile.py", "ScaleClient", args.clients, args.endpoint_seconds, env
            )
            print(f"  load: {endpoint}", flush=True)
            pair = Load(
                "floor_locustfile.py", "LivezFloor", args.clients, args.pair_seconds, floor_env
            )
            runs[f"livez-pair-{endpoint}"] = run_locust(pair, host, workdir, f"pair-{endpoint}")
            runs[endpoint] = run_locust(load, host, workdir, endpoint)
    return runs


def worker_rss(log_path: Path) -> dict[str, float]:
    """VmRSS (MB) of each live gunicorn worker, found by its "Booting worker" log line."""
    found = {}
    for pid in _BOOTED.findall(log_path.read_text(errors="replace")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue  # a worker that has been replaced
        kb = re.search(r"VmRSS:\s+(\d+) kB", status)
        if kb:
            found[pid] = round(int(kb.group(1)) / 1024, 1)
    return found


def time_rebuild(app, data: ScaleData, host: str) -> dict[str, dict]:
    """Move one session by 5 minutes, publish, then time the public feeds' first requests
    (six in a row each: with several workers, each may rebuild on its first request)."""
    with app.app_context(), write_intent():
        item = db.session.get(ScheduleItem, data.item_ids[len(data.item_ids) // 2])
        item.starts_at += timedelta(minutes=5)
        item.ends_at += timedelta(minutes=5)
        conference = db.session.get(Conference, data.conference_id)
        organizer = db.session.get(User, data.organizer_id)
        publish_schedule(conference, by=organizer, note="Benchmark change", confirm_conflicts=True)
        db.session.commit()
        db.session.remove()
    timings = {}
    for name in ("schedule.ics", "schedule.json"):
        times = [_timed_get(f"{host}/c/{data.slug}/{name}") for _ in range(6)]
        timings[name] = {"first_ms": times[0], "times_ms": times}
    return timings


def _timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (127.0.0.1 only)
        response.read()
    return round((time.perf_counter() - started) * 1000, 1)


def _result(args, backend, uri, started, data, runs, facts, queries, log_path) -> dict:
    floors = {key: _floor_rps(runs[f"{key}-before"], runs[f"{key}-after"]) for key in FLOORS}
    rows = []
    for key in FLOORS:
        for phase in ("before", "after"):
            ((name, stats),) = runs[f"{key}-{phase}"]["endpoints"].items()
            rows.append(report.row(f"{name} ({phase})", f"floor: {key}", stats))
    for endpoint, label in LABELS.items():
        stats = runs.get(endpoint, {}).get("endpoints", {}).get(label)
        if stats is None:
            continue
        each = report.row(label, endpoint, stats)
        each["queries"] = queries.get(endpoint)
        rows.append(each)
    report.add_ratios(rows, {key: f["rps"] for key, f in floors.items()})
    pair = "livez-pair-"
    pairs = {key.removeprefix(pair): run for key, run in runs.items() if key.startswith(pair)}
    report.add_paired_ratios(rows, pairs, closing=runs["livez-after"])
    checks = _checks(rows, facts, data)
    db_name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
    return {
        "title": f"Scale benchmark on {db_name}",
        "scenario": "scale",
        "database": backend,
        "database_url": describe(uri),
        "started_at": started.isoformat(timespec="seconds"),
        "setup": (
            f"{started:%Y-%m-%d %H:%M} UTC · gunicorn `app:app`, {args.workers} sync workers on "
            f"127.0.0.1 · locust {version('locust')}, {args.clients} users, each endpoint "
            f"{args.endpoint_seconds} s (at most {args.endpoint_max_requests} requests) · floors "
            f"before and after, {args.floor_seconds} s each · {os.cpu_count()} CPUs, load "
            "generator on the same machine."
        ),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "seed": {"attendees": args.scale_attendees, "seconds": round(data.seconds, 1)},
        "floors": floors,
        "endpoints": rows,
        "worker_rss_mb": facts["rss_mb"],
        "rebuild": facts["rebuild"],
        "server_log": log_findings(log_path),
        "checks": report.checks_as_dicts(checks),
        "ok": all(c.ok for c in checks),
        "broken": any(r["server_errors"] or r["failures"] for r in rows),
    }


def _floor_rps(before: dict, after: dict) -> dict:
    first, last = (next(iter(r["endpoints"].values()))["rps"] for r in (before, after))
    return {"rps": (first + last) / 2, "rps_before": first, "rps_after": last}


def _checks(rows: list[dict], facts: dict, data: ScaleData) -> list[report.Check]:
    by_role = {r["role"]: r for r in rows}
    checks = []
    for endpoint, (ratio, p95) in TARGETS.items():
        r = by_role.get(endpoint)
        if r is None:
            checks.append(report.Check(f"{endpoint}: measured", False, "no row"))
            continue
        share = r.get("x_livez_paired", r["x_livez"]) or 0
        checks.append(
            report.Check(
                f"{r['name']} ≥ {ratio:.0%} of the /livez floor around it",
                share >= ratio,
                f"{share:.1%}",
            )
        )
        if p95 is not None:
            checks.append(
                report.Check(f"{r['name']} p95 < {p95} ms", r["p95"] < p95, f"{r['p95']}")
            )
            fixed = r.get("queries") and len(set(r["queries"])) == 1
            checks.append(
                report.Check(f"{r['name']} fixed query count", bool(fixed), _q(r.get("queries")))
            )
    for name, what in (("schedule.ics", "conference feed"), ("schedule.json", "schedule.json")):
        rebuild = facts["rebuild"][name]["first_ms"]
        checks.append(
            report.Check(f"{what} rebuild after a change < 200 ms", rebuild < 200, f"{rebuild} ms")
        )
    rss = facts["rss_mb"]
    checks.append(
        report.Check(
            "every worker's RSS < 200 MB after the run",
            bool(rss) and max(rss.values()) < 200,
            ", ".join(f"{v} MB" for v in rss.values()) or "no worker found",
        )
    )
    errors = sum(r["server_errors"] for r in rows)
    failures = sum(r["failures"] for r in rows)
    checks.append(report.Check("zero 5xx", not errors, str(errors)))
    checks.append(report.Check("no failed requests", not failures, str(failures)))
    checks.append(report.Check("seeding < 120 s", data.seconds < 120, f"{data.seconds:.1f} s"))
    return checks


def _q(queries) -> str:
    return "–" if not queries else "/".join(str(q) for q in queries)


def markdown(result: dict) -> str:
    lines = [f"# {result['title']}", "", result["setup"], ""]
    lines += [
        "| endpoint | requests | req/s | × livez around | × livez | × healthz | p50 ms | p95 ms "
        "| p99 ms | queries | bytes | failures | 5xx |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in result["endpoints"]:
        paired, ratio, healthz = (
            "–" if r.get(key) is None else f"{r[key]:.3f}"
            for key in ("x_livez_paired", "x_livez", "x_healthz")
        )
        lines.append(
            f"| {r['name']} | {r['requests']} | {r['rps']:.1f} | {paired} | {ratio} | {healthz} "
            f"| {r['p50']} "
            f"| {r['p95']} | {r['p99']} | {_q(r.get('queries'))} | {r['avg_bytes']} "
            f"| {r['failures']} | {r['server_errors']} |"
        )
    seed = result["seed"]
    lines += ["", f"Seeding: {seed['attendees']:,} attendees in {seed['seconds']} s."]
    for name, t in result["rebuild"].items():
        lines.append(
            f"Rebuild of `{name}` after a published change: first request {t['first_ms']} ms; "
            f"six requests in a row: {', '.join(str(ms) for ms in t['times_ms'])} ms."
        )
    rss = ", ".join(f"pid {pid}: {mb} MB" for pid, mb in result["worker_rss_mb"].items())
    lines.append(f"Worker RSS after the run: {rss}.")
    log = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result["server_log"].items())
    lines += [f"Server log: {log}.", "", "Targets:"]
    lines += [
        f"- [{'x' if c['ok'] else ' '}] {c['name']}" + (f": {c['detail']}" if c["detail"] else "")
        for c in result["checks"]
    ]
    lines += [
        "",
        "Queries = SQL statements per request, counted in-process (Flask test client on the same "
        "database) for two different attendees (a/b when they differ). Latencies as locust "
        "records them, to the response headers; req/s = requests / (first sent to last "
        "answered); bytes = mean body on the wire (gzip, as every client here accepts it; "
        "the load generator doesn't inflate it: see bench/locust_stats.get_as_sent); "
        "× livez around = req/s over the mean of the two short /livez floor runs around the "
        "endpoint (one just before it, one just before the next; the targets use this); "
        "× livez = req/s over the mean of the /livez floor (Flask, no database) before and "
        "after the whole run; × healthz the same over /healthz (one SELECT 1).",
        "",
    ]
    return "\n".join(lines)


def write(result: dict, results_dir: Path, stem: str) -> tuple[Path, Path]:
    """Write ``<stem>.md`` and ``<stem>.json`` into ``results_dir``; both paths."""
    results_dir.mkdir(parents=True, exist_ok=True)
    md_path, json_path = results_dir / f"{stem}.md", results_dir / f"{stem}.json"
    md_path.write_text(markdown(result))
    json_path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return md_path, json_path
