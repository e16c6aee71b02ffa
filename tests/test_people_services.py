"""Suggestions and the directory as services: who is a candidate, who never is, in what order,
and at a cost in queries that does not grow with the conference."""

from datetime import UTC, datetime

import pytest
from helpers import counting_queries
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import (
    Block,
    CareerStage,
    Dismissal,
    IntroductionStatus,
    Offer,
    Profession,
    Role,
    Seek,
    Star,
    Visibility,
)
from confnet.people import services
from confnet.people.directory import DirectoryFilters, search_directory
from confnet.people.suggestions import explain_people, suggest_people


@pytest.fixture
def conf(make):
    return make.conference("people")


@pytest.fixture
def attendee(make, conf):
    """``attendee("Anna", offers=..., specialty=...)``: a member of ``conf`` with a profile."""

    def _attendee(name, conference=None, *, role=Role.ATTENDEE, **profile):
        user = make.user(name=name)
        make.member(user, conference or conf, role)
        make.profile(user, **profile)
        return user

    return _attendee


@pytest.fixture
def me(attendee):
    return attendee(
        "Lotte van Dijk",
        specialty="Cardiology",
        country="Netherlands",
        seeks=(Seek.MENTOR,),
        interests="heart failure",
    )


def suggested(viewer, conference, **kwargs):
    return suggest_people(viewer, conference, **kwargs).matches


def names(matches) -> list[str]:
    return [m.person.name for m in matches]


def test_suggestions_rank_complementary_intents_first_with_reasons(conf, me, attendee):
    attendee("Zoe Mentor", specialty="Cardiology", offers=(Offer.MENTORING,))
    attendee("Adam Far", specialty="Oncology", offers=(Offer.MENTORING,))
    attendee("Bea Alike", specialty="Cardiology", interests="Heart failure")
    attendee("Nobody Incommon", specialty="Dermatology")
    matches = suggested(me, conf)
    assert names(matches) == ["Zoe Mentor", "Adam Far", "Bea Alike"]
    assert matches[0].reasons[0] == (
        "You seek a mentor in cardiology; Zoe offers mentoring in cardiology"
    )
    assert matches[2].reasons == (
        "Same specialty: cardiology",
        "You share an interest in heart failure",
    )


def test_shared_stars_count_only_sessions_of_this_conference(make, conf, me, attendee):
    other_conf = make.conference("elsewhere")
    here = [make.item(conf) for _ in range(3)]
    there = make.item(other_conf)
    fan = attendee("Fan Ofstars")
    for user, items in ((me, [*here, there]), (fan, [*here, there])):
        db.session.add_all(Star(user_id=user.id, item_id=item.id) for item in items)
    db.session.flush()
    assert suggested(me, conf)[0].reasons == ("You both starred 3 of the same sessions",)


def test_a_ranking_is_kept_for_the_same_inputs_and_made_again_when_one_changes(
    make, conf, me, attendee, monkeypatch
):
    """Asked again with nothing changed, the ranking made before is used; another star on the
    viewer's session, a dismissal or a newcomer each give it new inputs."""
    from confnet.people import suggestions

    ranked = []
    real = suggestions.best_in_roster
    monkeypatch.setattr(
        suggestions, "best_in_roster", lambda *args: ranked.append(1) or real(*args)
    )
    session = make.item(conf)
    fan, mentor = attendee("Fan Ofstars"), attendee("Zoe Mentor", offers=(Offer.MENTORING,))
    db.session.add(Star(user_id=me.id, item_id=session.id))
    db.session.commit()
    assert names(suggested(me, conf)) == ["Zoe Mentor"]
    assert names(suggested(me, conf)) == ["Zoe Mentor"] and len(ranked) == 1
    db.session.add(Star(user_id=fan.id, item_id=session.id))
    db.session.commit()
    assert names(suggested(me, conf)) == ["Zoe Mentor", "Fan Ofstars"] and len(ranked) == 2
    services.dismiss_suggestion(me, conf, mentor)
    db.session.commit()
    assert names(suggested(me, conf)) == ["Fan Ofstars"] and len(ranked) == 3
    attendee("Ann Newcomer", offers=(Offer.MENTORING,))  # the roster changes
    db.session.commit()
    assert names(suggested(me, conf)) == ["Ann Newcomer", "Fan Ofstars"] and len(ranked) == 4


def test_who_is_never_suggested(make, conf, me, attendee):
    """Blocks both ways, any introduction in any state or conference, dismissals here, people
    who are not listed or hidden by the organizers, oneself, non-members."""
    other_conf = make.conference("other")
    make.member(me, other_conf)
    offer = {"offers": (Offer.MENTORING,)}
    attendee("Kept Mentor", **offer)
    blocked, blocker = attendee("I Blocked", **offer), attendee("Blocked Me", **offer)
    db.session.add_all(
        [
            Block(blocker_id=me.id, blocked_id=blocked.id),
            Block(blocker_id=blocker.id, blocked_id=me.id),
        ]
    )
    for status in IntroductionStatus:
        someone = attendee(f"Intro {status.value}", **offer)
        make.introduction(other_conf, me, someone, status=status, by=someone)
    dismissed = attendee("Dismissed Here", **offer)
    db.session.add(Dismissal(user_id=me.id, conference_id=conf.id, dismissed_id=dismissed.id))
    elsewhere = attendee("Dismissed Elsewhere", **offer)
    db.session.add(Dismissal(user_id=me.id, conference_id=other_conf.id, dismissed_id=elsewhere.id))
    attendee("Not A Member", other_conf, **offer)
    for visibility in (Visibility.CONNECTIONS, Visibility.HIDDEN):
        services.set_visibility(attendee(f"Chose {visibility}", **offer).memberships[0], visibility)
    hidden = attendee("Hidden By Organizers", **offer).memberships[0]
    hidden.profile_hidden_at = datetime.now(UTC)
    db.session.flush()
    assert names(suggested(me, conf)) == ["Dismissed Elsewhere", "Kept Mentor"]
    stranger = suggest_people(make.user(), conf)  # not a member: no suggestions
    assert stranger.viewer is None and stranger.matches == []


def test_suggestions_are_deterministic_and_limited(conf, me, attendee):
    for n in range(12):
        attendee(f"Mentor {n % 3}", offers=(Offer.MENTORING,))
    first = suggested(me, conf, limit=5)
    assert [(m.person.name, m.person.id) for m in first] == sorted(
        (m.person.name, m.person.id) for m in first
    )
    assert len(first) == 5 and names(first) == ["Mentor 0"] * 4 + ["Mentor 1"]
    db.session.expire_all()
    assert suggested(me, conf, limit=5) == first


def test_explain_people_uses_the_same_reasons(conf, me, attendee):
    zoe = attendee("Zoe Mentor", specialty="Cardiology", offers=(Offer.MENTORING,))
    first = suggested(me, conf)[0]
    from confnet.people.loading import person_of

    explained = explain_people(me, conf, [person_of(zoe, zoe.profile)])[1][zoe.id]
    assert explained.reasons == first.reasons and explained.score == first.score


def test_directory_lists_listed_members_by_name_without_blocked_or_myself(conf, me, attendee):
    attendee("Carla")
    attendee("anna")
    attendee("Bert")
    blocked = attendee("Zed Blocked")
    blocker = attendee("Yves Blocker")
    quiet = attendee("Quiet Person")
    services.set_visibility(quiet.memberships[0], Visibility.CONNECTIONS)
    db.session.add_all(
        [
            Block(blocker_id=me.id, blocked_id=blocked.id),
            Block(blocker_id=blocker.id, blocked_id=me.id),
        ]
    )
    db.session.flush()
    page = search_directory(me, conf, DirectoryFilters())
    listed = [row.person.name for row in page.rows]
    assert sorted(listed) == ["Bert", "Carla", "anna"]
    assert page.total == 3 and page.pages == 1


def test_directory_orders_by_name_without_case_on_every_database(conf, me, attendee):
    for name in ("bert", "Anna", "Émile", "Carla", "anna"):
        attendee(name)
    listed = [row.person.name for row in search_directory(me, conf, DirectoryFilters()).rows]
    assert listed == ["Anna", "anna", "bert", "Carla", "Émile"]  # same names: by id


def test_directory_search_and_filters(conf, me, attendee):
    attendee(
        "Ana Lopez",
        organization="Hospital Clínic",
        specialty="Oncology",
        profession=Profession.PHYSICIAN,
        career_stage=CareerStage.SENIOR,
        offers=(Offer.MENTORING,),
    )
    attendee(
        "Ben Kim",
        sub_specialty="Electrophysiology",
        interests="AI in imaging, 100% remote",
        profession=Profession.NURSE,
        seeks=(Seek.PEERS,),
    )
    attendee("Cem Ozturk", specialty="Cardiology", organization="Erasmus MC")

    def found(**filters):
        return [r.person.name for r in search_directory(me, conf, DirectoryFilters(**filters)).rows]

    assert found(q="ERASMUS") == ["Cem Ozturk"]
    assert found(q="ana") == ["Ana Lopez"]
    assert found(q="oncology senior") == []  # every word must match a searched field
    assert found(q="clínic oncology") == ["Ana Lopez"]
    assert found(q="electro") == ["Ben Kim"]
    assert found(q="ai in") == ["Ben Kim"]
    assert found(q="100%") == ["Ben Kim"] and found(q="%") == ["Ben Kim"]  # no wildcards
    assert found(q="_") == []
    assert found(profession=Profession.PHYSICIAN) == ["Ana Lopez"]
    assert found(career_stage=CareerStage.SENIOR) == ["Ana Lopez"]
    assert found(offers=Offer.MENTORING) == ["Ana Lopez"]
    assert found(seeks=Seek.PEERS) == ["Ben Kim"]
    assert found(seeks=Seek.MENTOR) == []


def test_directory_pages_and_rows_carry_reasons(conf, me, attendee):
    for n in range(65):
        attendee(f"Person {n:02}", offers=(Offer.MENTORING,) if n == 31 else ())
    second = search_directory(me, conf, DirectoryFilters(), page=2)
    assert (second.total, second.pages, second.page) == (65, 3, 2)
    assert second.rows[0].person.name == "Person 30" and len(second.rows) == 30
    assert second.rows[1].reasons == ("You seek a mentor; Person offers mentoring",)
    assert second.rows[0].reasons == ()
    beyond = search_directory(me, conf, DirectoryFilters(), page=99)
    assert beyond.page == 3 and [r.person.name for r in beyond.rows][-1] == "Person 64"


def test_dismissing_twice_is_the_same_as_once(conf, me, attendee):
    anna = attendee("Anna", offers=(Offer.MENTORING,))
    services.dismiss_suggestion(me, conf, anna)
    services.dismiss_suggestion(me, conf, anna)
    count = db.session.scalar(select(func.count()).select_from(Dismissal))
    assert count == 1
    assert suggested(me, conf) == []
    with pytest.raises(services.PeopleError):
        services.dismiss_suggestion(me, conf, me)


def seed_crowd(make, conference, viewer, size: int) -> None:
    """``size`` attendees with intents, interests, languages and stars shared with ``viewer``."""
    items = [make.item(conference) for _ in range(5)]
    db.session.add_all(Star(user_id=viewer.id, item_id=item.id) for item in items)
    offers, seeks = list(Offer), list(Seek)
    for n in range(size):
        user = make.user(name=f"Crowd {n:04}")
        make.member(user, conference)
        make.profile(
            user,
            specialty="Cardiology" if n % 2 else "Oncology",
            interests="heart failure, sepsis" if n % 3 else "",
            languages="Dutch",
            offers=(offers[n % len(offers)],),
            seeks=(seeks[n % len(seeks)],),
        )
        db.session.add(Star(user_id=user.id, item_id=items[n % 5].id))
        if n % 7 == 0:
            make.introduction(conference, viewer, user, status=IntroductionStatus.DECLINED)
    db.session.flush()


def test_queries_do_not_grow_with_the_number_of_attendees(make, me):
    counts = {}
    for size in (20, 200):
        conference = make.conference(f"crowd-{size}")
        make.member(me, conference)
        seed_crowd(make, conference, me, size)
        db.session.commit()
        db.session.expire_all()
        assert me.id and conference.id  # (reloaded here, not counted below)
        with counting_queries() as suggesting:
            matches = suggested(me, conference)
        with counting_queries() as listed:
            page = search_directory(me, conference, DirectoryFilters(q="crowd"), page=2)
        assert matches and page.rows and any(row.reasons for row in page.rows)
        counts[size] = (len(suggesting), len(listed))
    assert counts[20] == counts[200], counts
    # stamp, roster (members, intents: read anew), exclusions with stars; stamp, blocks, stars
    assert counts[200] == (4, 3), counts


def _dismiss(uri: str, ids: tuple[int, int, int], barrier, results) -> None:
    from helpers import app_config

    from confnet import create_app
    from confnet.database import write_intent
    from confnet.models import Conference, User

    app = create_app(app_config(uri))
    with app.app_context():
        db.session.execute(select(1))
        db.session.rollback()
        barrier.wait(timeout=60)
        try:
            with write_intent():
                user_id, conference_id, person_id = ids
                user, person = db.session.get(User, user_id), db.session.get(User, person_id)
                conference = db.session.get(Conference, conference_id)
                services.dismiss_suggestion(user, conference, person)
                db.session.commit()
            results.put("ok")
        except Exception as err:
            db.session.rollback()
            results.put(f"error: {err!r}")


def test_dismissing_from_two_tabs_at_once_keeps_one_row(conf, me, attendee, database_uri):
    import multiprocessing

    anna = attendee("Anna", offers=(Offer.MENTORING,))
    db.session.commit()
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(3), ctx.Queue()
    args = (database_uri, (me.id, conf.id, anna.id), barrier, results)
    workers = [ctx.Process(target=_dismiss, args=args) for _ in range(3)]
    for worker in workers:
        worker.start()
    answers = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert answers == ["ok"] * 3
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Dismissal)) == 1


def test_directory_search_ignores_accents_and_case(conf, me, attendee, make):
    attendee("Lucía López", organization="Hospital Clínic")
    attendee("Chloé Sørensen", interests="Ærøskøbing registry, Straße studies")
    attendee("Łukasz Nowak", specialty="Néphrologie")
    plain = make.user(name="Zoë Nadal")  # no profile row: still found by name
    make.member(plain, conf)

    def found(q):
        return [r.person.name for r in search_directory(me, conf, DirectoryFilters(q=q)).rows]

    for q in ("Lucia", "lopez", "LÓPEZ", "clinic", "lucía"):
        assert found(q) == ["Lucía López"], q
    for q in ("chloe", "Sorensen", "SØRENSEN", "aeroskobing", "strasse"):
        assert found(q) == ["Chloé Sørensen"], q
    assert found("lukasz nephro") == ["Łukasz Nowak"]
    assert found("zoë") == ["Zoë Nadal"]
    assert found("lucia sorensen") == []  # every word, in one person
    assert found("l_pez") == [] and found("l%z") == []  # no wildcards


def test_search_text_follows_renames_and_profile_changes(conf, me, attendee):
    from confnet.accounts.services import ProfileChanges, update_profile

    person = attendee("Anna Berg", specialty="Cardiology")

    def found(q):
        return [r.person.name for r in search_directory(me, conf, DirectoryFilters(q=q)).rows]

    update_profile(person, ProfileChanges(name="Anaïs Bérg", specialty="Gériatrie"))
    assert found("anais") == ["Anaïs Bérg"] and found("geriatrie") == ["Anaïs Bérg"]
    assert found("cardiology") == [] and found("anna") == []
    assert person.profile.search_text == "anais berg\n\ngeriatrie\n\n"
