"""Imported by the locustfiles (inside the locust process only): records what locust's own stats
leave out and writes every number the report needs to the JSON file named by ``BENCH_RESULT``.

Per request name: locust's count, failures, latency percentiles and mean response size, plus
the HTTP status histogram and the time window the requests covered (first start to last end).
Throughput is requests / window, so a phase that starts late (the sign-up rush after the log-ins)
is not diluted by the time before it.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter, defaultdict
from contextlib import contextmanager
from typing import Any

from locust import events

_CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
PERCENTILES = {"p50": 0.50, "p95": 0.95, "p99": 0.99}

statuses: dict[str, Counter] = defaultdict(Counter)
windows: dict[str, list[float]] = {}
extra: dict[str, Any] = {}  # scenario-specific results, filled in by the locustfile


@events.request.add_listener
def _record(name, response_time, response, exception, start_time=None, **_kw):
    code = getattr(response, "status_code", None) if response is not None else None
    key = str(code) if code else f"error: {type(exception).__name__}"
    statuses[name][key] += 1
    if start_time is not None:
        end = start_time + (response_time or 0) / 1000
        window = windows.setdefault(name, [start_time, end])
        window[0], window[1] = min(window[0], start_time), max(window[1], end)


@events.quitting.add_listener
def _write(environment, **_kw):
    path = os.environ.get("BENCH_RESULT")
    if not path:
        return
    entries = {}
    for (name, method), entry in environment.stats.entries.items():
        first, last = windows.get(name, (0.0, 0.0))
        seconds = last - first
        entries[name] = {
            "method": method,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / seconds if seconds > 0 else 0.0,
            "seconds": seconds,
            **{k: entry.get_response_time_percentile(p) for k, p in PERCENTILES.items()},
            "mean_ms": entry.avg_response_time,
            "max_ms": entry.max_response_time,
            "avg_bytes": entry.avg_content_length,
            "statuses": dict(statuses[name]),
            "server_errors": sum(n for s, n in statuses[name].items() if s.startswith("5")),
        }
    runner = environment.runner
    result = {
        "endpoints": entries,
        "load_generator_cpu_warning": bool(runner and runner.cpu_warning_emitted),
        "exceptions": [row["msg"] for row in (runner.exceptions.values() if runner else [])],
        "extra": extra,
    }
    with open(path, "w") as fh:
        json.dump(result, fh, indent=2, default=str)


def csrf_token(html: str) -> str | None:
    """The first CSRF token in a page (WTForms' hidden tag or a hand-written hidden input)."""
    found = _CSRF.search(html)
    return found.group(1) if found else None


@contextmanager
def get_as_sent(client, path: str, **kwargs):
    """``client.get(path, catch_response=True, **kwargs)`` whose body is read as it was sent
    (gzip stays gzip), its size taken from Content-Length: the report's bytes are bytes on the
    wire. Inflating a body is the client's work; locust's default (it inflates every body to
    measure it) would, on a machine the load generator shares with the server, charge a 700 KB
    calendar's decompression to the server's throughput. Latency is to the response headers;
    the body is read before the next request."""
    with client.get(path, stream=True, catch_response=True, **kwargs) as response:
        raw = response._response  # geventhttpclient's own response: the body as it came
        if raw is not None:
            raw.read()
            raw.release()
        yield response
