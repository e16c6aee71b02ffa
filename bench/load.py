"""Runs locust headless, as its own process, and returns the results its locustfile wrote.

Locust is started through its command line (``python -m locust``) in a separate process group:
its gevent monkey-patching stays out of the orchestrator, and a hung run can be killed whole.
Each run is bounded by ``--run-time`` and, outside locust, by a hard timeout.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from confnet import ROOT

BENCH = Path(__file__).resolve().parent


class LoadError(RuntimeError):
    pass


@dataclass(frozen=True)
class Load:
    """One locust run: which user class of which locustfile, how many users, for how long."""

    locustfile: str  # file name inside bench/
    user_class: str
    users: int
    run_time: int  # seconds, locust's own limit
    env: dict[str, str]


def run_locust(load: Load, host: str, workdir: Path, tag: str = "") -> dict:
    """Run ``load`` against ``host``; the parsed BENCH_RESULT JSON. Raises LoadError.

    Its results and log go to ``workdir/locust-<tag or user class>.json`` / ``.log``.
    """
    stem = f"locust-{tag or load.user_class}"
    result, log_path = workdir / f"{stem}.json", workdir / f"{stem}.log"
    result.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "--locustfile",
        str(BENCH / load.locustfile),
        "--headless",
        "--users",
        str(load.users),
        "--spawn-rate",
        str(load.users),  # everyone within a second
        "--run-time",
        f"{load.run_time}s",
        "--stop-timeout",
        "10",
        "--host",
        host,
        "--only-summary",
        "--loglevel",
        "WARNING",
        load.user_class,
    ]
    env = {
        **os.environ,
        **load.env,
        "BENCH_RESULT": str(result),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(  # noqa: S603 (fixed argument list, no shell)
            cmd,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=load.run_time + 60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise LoadError(f"locust did not stop in time; see {log_path}") from None
        finally:
            if proc.poll() is None:  # interrupted while waiting: take locust down with us
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    if not result.exists():
        code = proc.returncode
        raise LoadError(f"locust exited with {code} and wrote no results; see {log_path}")
    data = json.loads(result.read_text())
    data["exit_code"] = proc.returncode
    data["log"] = str(log_path)
    return data
