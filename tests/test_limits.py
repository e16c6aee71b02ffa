"""Rate limits (confnet.limits): log-in, sign-up, password reset, introductions and note saves
answer 429 with a readable page once a person or an address goes too fast; counts are shared
by every worker through Redis when it is configured."""

import multiprocessing
import secrets
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

import redis
from factories import Factories
from helpers import app_config

from confnet import create_app
from confnet.extensions import db
from confnet.limits import LIMITS
from confnet.releases.services import publish_schedule

REDIS = "redis://127.0.0.1:6379/15"


def limited_app(database_uri, **extra):
    """An app with the limits on, as in production (CSRF off: these tests are about counts)."""
    extra.setdefault("RATELIMIT_KEY_PREFIX", f"confnet-test-{secrets.token_hex(6)}")
    config = app_config(database_uri, RATE_LIMITS=True, WTF_CSRF_ENABLED=False, **extra)
    return create_app(config)


def allowed(limit: str) -> int:
    """The first number of a limit such as "10 per minute;60 per hour"."""
    return int(limit.split()[0])


def test_too_many_log_ins_to_one_account_get_a_429_page_with_retry_after(database_uri, make):
    person = make.user()
    db.session.commit()
    client = limited_app(database_uri).test_client()
    # The right password each time: failures are throttled sooner by the database.
    form = {"email": person.email, "password": Factories.PASSWORD}
    for _ in range(allowed(LIMITS["log-in"])):
        assert client.post("/log-in", data=form).status_code == 302
    refused = client.post("/log-in", data=form)
    assert refused.status_code == 429
    assert "Slow down a little" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert client.get("/log-in").status_code != 429  # reading never counts
    elsewhere = client.post("/log-in", data=form, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert elsewhere.status_code == 302  # another address has its own count


def test_a_roomful_of_people_behind_one_address_can_all_log_in(database_uri, make):
    """Venue Wi-Fi: many phones, one address. Each account has its own count."""
    people = [make.user() for _ in range(allowed(LIMITS["log-in"]) * 2)]
    db.session.commit()
    client = limited_app(database_uri).test_client()
    for person in people:
        form = {"email": person.email, "password": Factories.PASSWORD}
        assert client.post("/log-in", data=form).status_code == 302


def worker(database_uri: str, config: dict, path: str, forms: list[dict]) -> list[int]:
    """Run in a process of its own, like a gunicorn worker: POST each form; the statuses."""
    client = limited_app(database_uri, **config).test_client()
    return [client.post(path, data=form).status_code for form in forms]


def in_processes(*jobs) -> list[list[int]]:
    """Each job ``(database_uri, config, path, forms)`` in a new process, one after another."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context, max_tasks_per_child=1) as pool:
        return [pool.submit(worker, *job).result() for job in jobs]


def test_workers_sharing_redis_share_the_sign_up_count(database_uri):
    redis.Redis.from_url(REDIS).ping()  # CI and development machines run Redis
    config = {"RATELIMIT_STORAGE_URI": REDIS, "RATELIMIT_KEY_PREFIX": f"t{secrets.token_hex(6)}"}
    limit = allowed(LIMITS["sign-up"])
    forms = [
        {"name": f"Person {n}", "email": f"p{n}-{secrets.token_hex(3)}@example.org"}
        for n in range(limit + 1)
    ]
    first, second = in_processes(
        (database_uri, config, "/sign-up", forms[:2]),
        (database_uri, config, "/sign-up", forms[2:]),
    )
    assert 429 not in first + second[:-1]
    assert second[-1] == 429  # the limit counts both workers' sign-ups


def test_without_redis_each_process_counts_alone(database_uri):
    limit = allowed(LIMITS["password-reset"])
    forms = [{"email": "reset@example.org"}] * (limit + 1)
    first, second = in_processes(
        (database_uri, {}, "/password-resets", forms),
        (database_uri, {}, "/password-resets", forms[:1]),
    )
    assert 429 not in first[:-1] and first[-1] == 429
    assert second == [302]  # a process of its own starts from zero


def test_note_saves_count_per_account(database_uri, make):
    conference = make.conference("limits")
    item = make.item(
        conference, title="Rate limited talk", starts_at=datetime(2027, 3, 26, 9, tzinfo=UTC)
    )
    publish_schedule(conference, by=None)
    writer, neighbour = make.user(), make.user()
    for person in (writer, neighbour):
        make.member(person, conference)
    db.session.commit()
    app = limited_app(database_uri)
    clients = {}
    for person in (writer, neighbour):
        clients[person.id] = app.test_client()
        clients[person.id].post(
            "/log-in", data={"email": person.email, "password": Factories.PASSWORD}
        )
    path = f"/c/limits/sessions/{item.id}/my-note"
    writer_client = clients[writer.id]
    for n in range(allowed(LIMITS["note-save"])):
        assert writer_client.post(path, data={"body": f"note {n}"}).status_code != 429
    assert writer_client.post(path, data={"body": "one too many"}).status_code == 429
    assert clients[neighbour.id].post(path, data={"body": "mine"}).status_code != 429
