"""The benchmark table: rows per endpoint, throughput as ratios to the floors, Markdown and JSON.

A row is a dict with ``name``, ``role``, ``requests``, ``rps``, ``p50``/``p95``/``p99`` (ms),
``avg_bytes``, ``failures``, ``server_errors``, ``statuses`` and, where they were counted,
``queries`` (SQL statements per request); ``add_ratios`` adds
``x_<floor>`` for each floor (``x_livez``, ``x_healthz``, ``x_static``): the row's requests/s
divided by that floor's mean of its runs before and after the scenario.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

FLOOR_NOTES = {
    "livez": "GET /livez: Flask, a 16-byte answer, no database, no session",
    "healthz": "GET /healthz: Flask + one `SELECT 1`, no template, no session",
    "static": "GET /static/img/icon.svg: Flask static file (359 bytes), no database",
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


def row(name: str, role: str, stats: dict) -> dict:
    """A table row from one endpoint of a locust result (see bench/locust_stats.py)."""
    keys = ("method", "requests", "failures", "rps", "seconds", "p50", "p95", "p99", "mean_ms")
    return {
        "name": name,
        "role": role,
        **{key: stats[key] for key in keys},
        "avg_bytes": round(stats["avg_bytes"]),
        "server_errors": stats["server_errors"],
        "statuses": stats["statuses"],
    }


def ratio(rps: float, floor_rps: float) -> float | None:
    return round(rps / floor_rps, 4) if floor_rps else None


def add_ratios(rows: list[dict], floors: dict[str, float]) -> None:
    """Divide each row's requests/s by each floor's (mean) requests/s."""
    for each in rows:
        for key, floor_rps in floors.items():
            each[f"x_{key}"] = ratio(each["rps"], floor_rps)


def add_paired_ratios(rows: list[dict], pairs: dict[str, dict], closing: dict) -> None:
    """Each row whose role has a run in ``pairs`` (a short /livez run made just before it):
    its req/s over the mean of that run and the next one (``closing`` after the last), as
    ``x_livez_paired``. The machine's speed drifts during a run (on a shared 2-core machine the
    floors before and after differ by up to 40%); the floors next to an endpoint saw the same
    machine it did."""

    def rps(run: dict) -> float:
        return next(iter(run["endpoints"].values()))["rps"]

    measured = [r for r in rows if r["role"] in pairs]
    floors = [rps(pairs[r["role"]]) for r in measured] + [rps(closing)]
    for i, each in enumerate(measured):
        floor = (floors[i] + floors[i + 1]) / 2
        each["livez_paired"] = round(floor, 1)
        each["x_livez_paired"] = ratio(each["rps"], floor)


def markdown(report: dict) -> str:
    """The whole report as Markdown (also printed to the terminal)."""
    lines = [f"# {report['title']}", "", report["setup"], ""]
    lines += [
        "| endpoint | role | requests | req/s | × livez | × healthz | × static | p50 ms "
        "| p95 ms | p99 ms | queries | bytes | failures | 5xx |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in report["endpoints"]:
        lines.append(
            f"| {r['name']} | {r['role']} | {r['requests']} | {r['rps']:.1f} "
            f"| {_x(r.get('x_livez'))} | {_x(r['x_healthz'])} | {_x(r['x_static'])} "
            f"| {r['p50']} | {r['p95']} "
            f"| {r['p99']} | {r.get('queries', '–')} | {r['avg_bytes']} | {r['failures']} "
            f"| {r['server_errors']} |"
        )
    lines += ["", *report["summary"], "", "Floors (same server, same run, same users):"]
    lines += [f"- **{name}** = {note}" for name, note in FLOOR_NOTES.items()]
    lines += ["", "Checks:"]
    lines += [
        f"- [{'x' if c['ok'] else ' '}] {c['name']}" + (f": {c['detail']}" if c["detail"] else "")
        for c in report["checks"]
    ]
    lines += ["", *report["notes"], ""]
    return "\n".join(lines)


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def checks_as_dicts(checks: list[Check]) -> list[dict]:
    return [asdict(c) for c in checks]


def write(report: dict, results_dir: Path, stem: str) -> tuple[Path, Path]:
    """Write ``<stem>.md`` and ``<stem>.json`` into ``results_dir``; both paths."""
    results_dir.mkdir(parents=True, exist_ok=True)
    md_path, json_path = results_dir / f"{stem}.md", results_dir / f"{stem}.json"
    md_path.write_text(markdown(report))
    json_path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return md_path, json_path
