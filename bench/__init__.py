"""confnet's benchmark instrument (issue 8), run from the checkout: ``python -m bench.run``.

Every scenario runs against the real server (gunicorn, several workers, bound to 127.0.0.1 on a
port the kernel picks) in a database made for the run and dropped after it, driven by locust.
Throughputs are reported as ratios to trivial "floor" endpoints served by the same server in the
same run: those ratios, not absolute times, are what can be compared across machines.

- ``database.py``  a fresh SQLite file or PostgreSQL database per run, migrated
- ``seed.py``      the data each scenario needs (bulk inserts, one shared password hash)
- ``server.py``    gunicorn as a process group that is always stopped
- ``load.py``      runs locust headless as a subprocess and reads back its results
- ``locust_stats.py``, ``*_locustfile.py``  what locust runs (imported by locust only)
- ``report.py``    the Markdown / JSON table under ``bench/results/``
- ``run.py``       the command line: ``python -m bench.run rush``
"""
