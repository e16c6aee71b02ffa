"""The real server for a benchmark: gunicorn ``app:app``, several sync workers, 127.0.0.1 only.

Gunicorn binds port 0, so the kernel picks a free port (no race, nothing fixed); the port is read
back from gunicorn's "Listening at" log line. It runs in its own process group, which is always
terminated (then killed, if it lingers) when the block ends, whatever happened inside it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager, suppress
from importlib.metadata import version
from pathlib import Path

from confnet import ROOT

_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


class ServerError(RuntimeError):
    pass


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, log_path: Path, start_timeout: float = 30):
    """Run gunicorn with exactly the environment ``env``; yield its base URL."""
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "app:app",
        "--workers",
        str(workers),
        "--bind",
        "127.0.0.1:0",
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
        "--log-level",
        "info",
    ]
    if int(version("gunicorn").split(".")[0]) >= 27:
        cmd.append("--no-control-socket")  # else every run shares ~/.gunicorn/gunicorn.ctl
    with open(log_path, "ab") as log:
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
        base_url = _wait_until_serving(proc, log_path, start_timeout)
        yield base_url
    finally:
        _stop(proc)


def _wait_until_serving(proc: subprocess.Popen, log_path: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    base_url = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"gunicorn exited with {proc.returncode}; see {log_path}")
        if base_url is None:
            found = _LISTENING.search(log_path.read_text(errors="replace"))
            base_url = found and f"http://127.0.0.1:{found.group(1)}"
        if base_url and _healthy(base_url):
            return base_url
        time.sleep(0.2)
    raise ServerError(f"gunicorn did not answer /healthz within {timeout:.0f} s; see {log_path}")


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the whole group (gunicorn stops its workers gracefully), SIGKILL if needed."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with suppress(ProcessLookupError, PermissionError):  # a worker that outlived its arbiter
        os.killpg(proc.pid, signal.SIGKILL)


def log_findings(log_path: Path) -> dict[str, int]:
    """Counts of worrying lines in the server log: tracebacks, lock waits that failed, timeouts."""
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    return {
        "tracebacks": text.count("Traceback (most recent call last)"),
        "database_is_locked": text.count("database is locked"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
        "errors_logged": len(re.findall(r"\[ERROR\]| ERROR ", text)),
    }
