"""The floors: trivial endpoints that every other throughput is divided by.

- ``LivezFloor``: GET /livez, the app's cheapest route: Flask, a 16-byte answer, no database,
  no session. The scale scenario divides every throughput by this one.
- ``HealthzFloor``: GET /healthz, the app's cheapest route with one database round trip
  (``SELECT 1``).
- ``StaticFloor``: GET /static/img/icon.svg (359 bytes), served by Flask without the database.

Run one class at a time (name it on the command line). The run stops at ``BENCH_MAX_REQUESTS``
requests or at locust's ``--run-time``, whichever comes first.
"""

import os

import gevent
from locust import FastHttpUser, constant, task

from bench.locust_stats import get_as_sent  # (importing it installs the result writer)

MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "100000"))
_sent = 0


class _Floor(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    path = ""
    label = ""

    @task
    def hit(self):
        global _sent
        if _sent >= MAX_REQUESTS:
            if _sent == MAX_REQUESTS:  # the first user to notice ends the run
                _sent += 1
                gevent.spawn(self.environment.runner.quit)
            gevent.sleep(1)  # hold here quietly until the runner stops us
            return
        _sent += 1
        with get_as_sent(self.client, self.path, name=self.label):
            pass  # read as the scale endpoints read theirs


class HealthzFloor(_Floor):
    path = "/healthz"
    label = "GET /healthz"


class StaticFloor(_Floor):
    path = "/static/img/icon.svg"
    label = "GET /static/img/icon.svg"


class LivezFloor(_Floor):
    path = "/livez"
    label = "GET /livez"
