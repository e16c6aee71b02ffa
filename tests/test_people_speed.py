"""The people pages at conference scale: the same number of queries for 5 attendees as for 200,
and the in-memory roster behind them never stale, whoever changes what, in whichever process."""

from datetime import UTC, datetime

from helpers import counting_queries
from sqlalchemy import delete, insert, select, update
from test_people_services import seed_crowd

from confnet.extensions import db
from confnet.models import (
    CareerStage,
    Membership,
    Offer,
    Profession,
    Profile,
    ProfileOffer,
    Seek,
    User,
    Visibility,
)
from confnet.models.profiles import PeopleStamp
from confnet.people.directory import DirectoryFilters, search_directory
from confnet.people.roster import MemberRow, forget_rosters
from confnet.people.suggestions import suggest_people


def test_people_pages_run_a_fixed_number_of_queries(client, make, login):
    viewer = make.user(name="Viewer")
    make.profile(viewer, specialty="Cardiology", seeks=(Seek.MENTOR, Seek.PEERS))
    login(viewer)
    counts = {}
    for size in (20, 200):
        conference = make.conference(f"crowd-{size}")
        make.member(viewer, conference)
        seed_crowd(make, conference, viewer, size)
        db.session.commit()
        pages = {
            "directory": f"/c/{conference.slug}/people?q=crowd&page=2",
            "filtered": f"/c/{conference.slug}/people?offers=mentoring&profession=physician",
            "suggestions": f"/c/{conference.slug}/people/suggestions",
        }
        for name, path in pages.items():
            with counting_queries() as statements:
                response = client.get(path)
            assert response.status_code == 200, path
            counts[size, name] = len(statements)
    print("queries per page:", counts)
    for name in ("directory", "filtered", "suggestions"):
        assert counts[20, name] == counts[200, name], (name, counts)
    assert counts[200, "directory"] <= 10 and counts[200, "suggestions"] <= 9, counts


def test_both_pages_cost_the_same_queries_for_5_or_40_attendees_read_anew_or_not(
    client, make, login
):
    viewer = make.user(name="Viewer")
    make.profile(viewer, specialty="Cardiology", seeks=(Seek.MENTOR,), interests="sepsis")
    login(viewer)
    counts = {}
    for size in (5, 40):
        conference = make.conference(f"grow-{size}")
        make.member(viewer, conference)
        seed_crowd(make, conference, viewer, size)
        db.session.commit()
        for page in ("people?q=crowd", "people/suggestions"):
            for when in ("read anew", "kept"):
                if when == "read anew":
                    forget_rosters()  # as in a new worker
                with counting_queries() as statements:
                    response = client.get(f"/c/{conference.slug}/{page}")
                assert response.status_code == 200 and "Crowd 000" in response.text
                counts[size, page, when] = len(statements)
    print("queries per page:", counts)
    for page in ("people?q=crowd", "people/suggestions"):
        for when in ("read anew", "kept"):
            assert counts[5, page, when] == counts[40, page, when], counts
        assert counts[40, page, "kept"] == counts[40, page, "read anew"] - 2, counts


def _found(viewer, conference, **filters) -> list[str]:
    return [
        r.person.name
        for r in search_directory(viewer, conference, DirectoryFilters(**filters)).rows
    ]


def test_every_change_to_people_shows_at_once_however_it_is_written(make):
    """Each write goes straight to the database (no ORM events), as another process, a bulk
    import or a cascade would: the page read right after shows it."""
    conference = make.conference("fresh")
    viewer, anna = make.user(name="Viewer"), make.user(name="Anna Berg")
    make.member(viewer, conference)
    make.member(anna, conference)
    make.profile(viewer, seeks=(Seek.MENTOR,))
    make.profile(anna, specialty="Cardiology")
    db.session.commit()

    def change(statement) -> None:
        db.session.execute(statement)
        db.session.commit()

    assert _found(viewer, conference, q="cardiology") == ["Anna Berg"]
    profile = update(Profile).where(Profile.user_id == anna.id)
    change(profile.values(specialty="Oncology", search_text=""))
    assert _found(viewer, conference, q="cardiology") == []
    assert _found(viewer, conference, q="oncology") == ["Anna Berg"]
    change(update(User).where(User.id == anna.id).values(name="Anaïs Berg"))
    assert _found(viewer, conference, q="anais") == ["Anaïs Berg"]
    assert suggest_people(viewer, conference).matches == []
    change(insert(ProfileOffer).values(user_id=anna.id, offer=Offer.MENTORING))
    assert _found(viewer, conference, offers=Offer.MENTORING) == ["Anaïs Berg"]
    assert [m.person.name for m in suggest_people(viewer, conference).matches] == ["Anaïs Berg"]
    membership = update(Membership).where(Membership.user_id == anna.id)
    change(membership.values(visibility=Visibility.CONNECTIONS))
    assert _found(viewer, conference) == [] and suggest_people(viewer, conference).matches == []
    change(membership.values(visibility=Visibility.LISTED, profile_hidden_at=datetime.now(UTC)))
    assert _found(viewer, conference) == []
    change(membership.values(profile_hidden_at=None))
    assert _found(viewer, conference) == ["Anaïs Berg"]
    change(delete(Membership).where(Membership.user_id == anna.id))
    assert _found(viewer, conference) == []
    change(insert(Membership).values(user_id=anna.id, conference_id=conference.id))
    assert _found(viewer, conference) == ["Anaïs Berg"]
    change(delete(User).where(User.id == anna.id))  # memberships go with the account
    assert _found(viewer, conference) == [] and suggest_people(viewer, conference).matches == []


def test_changes_elsewhere_leave_the_stamp_alone(make):
    """Only what the pages read renews a conference's stamp: a bio, another conference's
    members or a login do not make every worker read 10,000 people again."""
    here, elsewhere = make.conference("here"), make.conference("elsewhere")
    anna, bert = make.user(name="Anna"), make.user(name="Bert")
    make.member(anna, here)
    make.member(bert, elsewhere)
    make.profile(anna, specialty="Cardiology")
    make.profile(bert)
    db.session.commit()

    def stamp() -> str:
        return db.session.scalar(select(PeopleStamp.token).filter_by(conference_id=here.id))

    before = stamp()
    db.session.execute(update(Profile).where(Profile.user_id == anna.id).values(bio="Hi"))
    db.session.execute(update(Profile).where(Profile.user_id == bert.id).values(city="Ghent"))
    db.session.execute(update(User).where(User.id == anna.id).values(email="anna@example.org"))
    db.session.commit()
    assert stamp() == before
    db.session.execute(update(Profile).where(Profile.user_id == anna.id).values(city="Delft"))
    db.session.commit()
    assert stamp() != before


def test_every_profile_column_the_roster_reads_renews_the_stamp(make):
    """A roster that reads one more column needs a trigger watching it (see migration 0007)."""
    conference, anna = make.conference("watched"), make.user(name="Anna")
    make.member(anna, conference)
    make.profile(anna)
    db.session.commit()
    values = {"profession": Profession.NURSE, "career_stage": CareerStage.SENIOR}
    for column in MemberRow._fields[MemberRow._fields.index("specialty") :]:
        before = db.session.scalar(select(PeopleStamp.token).filter_by(conference_id=conference.id))
        change = {column: values.get(column, "changed")}
        db.session.execute(update(Profile).where(Profile.user_id == anna.id).values(**change))
        db.session.commit()
        after = db.session.scalar(select(PeopleStamp.token).filter_by(conference_id=conference.id))
        assert after != before, column


def _rename_elsewhere(uri: str, user_id: int, results) -> None:
    from helpers import app_config

    from confnet import create_app
    from confnet.database import write_intent

    app = create_app(app_config(uri))
    with app.app_context():
        with write_intent():
            db.session.execute(update(User).where(User.id == user_id).values(name="Zora Quist"))
            db.session.commit()
        results.put("ok")


def test_a_change_made_by_another_process_shows_at_once(make, database_uri):
    """Like two gunicorn workers: this one keeps the roster, the other renames someone."""
    import multiprocessing

    conference = make.conference("workers")
    viewer, anna = make.user(name="Viewer"), make.user(name="Anna Berg")
    make.member(viewer, conference)
    make.member(anna, conference)
    db.session.commit()
    assert _found(viewer, conference, q="anna") == ["Anna Berg"]  # kept by this process
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    worker = ctx.Process(target=_rename_elsewhere, args=(database_uri, anna.id, results))
    worker.start()
    assert results.get(timeout=120) == "ok"
    worker.join(timeout=60)
    db.session.rollback()
    assert _found(viewer, conference, q="anna") == []
    assert _found(viewer, conference, q="zora") == ["Zora Quist"]
