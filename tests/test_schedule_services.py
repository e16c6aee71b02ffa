"""The attendee side of the schedule without HTTP: days, filters, stars, agenda, changes."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import ItemKind, ItemLink, Speaker, Star
from confnet.releases.services import publish_schedule
from confnet.schedule import days, details, listing, live, services
from confnet.schedule.changes import release_history
from confnet.schedule.listing import Filters

FRI_9 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)  # 09:00 CET
SUN_9 = datetime(2027, 3, 28, 7, 0, tzinfo=UTC)  # 09:00 CEST, after the switch to summer time


@pytest.fixture
def conference(make):
    return make.conference("amsterdam", tz="Europe/Amsterdam", starts_on=date(2027, 3, 26))


def titles(items):
    return [item.title for item in items]


def test_the_day_shown_is_the_requested_one_or_today_or_the_first(conference):
    before = datetime(2027, 1, 1, tzinfo=UTC)
    saturday_night = datetime(2027, 3, 27, 22, 30, tzinfo=UTC)  # 23:30 on Saturday in Amsterdam
    assert days.choose_day(conference, None, before) == date(2027, 3, 26)
    assert days.choose_day(conference, None, saturday_night) == date(2027, 3, 27)
    assert days.choose_day(conference, "2027-03-28", before) == date(2027, 3, 28)
    for bad in ["2027-04-01", "yesterday", "2027-02-30", "2027-03-28x", "9" * 500, ""]:
        assert days.choose_day(conference, bad, before) == date(2027, 3, 26), bad


def test_day_bounds_follow_local_midnight_across_the_dst_switch(conference):
    start, end = days.day_bounds(conference, date(2027, 3, 28))
    assert start == datetime(2027, 3, 27, 23, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=23)  # the night the clocks go forward


def test_only_published_items_are_listed_and_drafts_stay_hidden(make, conference):
    make.item(conference, title="Published", starts_at=FRI_9)
    publish_schedule(conference, by=None)
    make.item(conference, title="Still a draft", starts_at=FRI_9)
    items = listing.day_items(conference, date(2027, 3, 26), Filters())
    assert titles(items) == ["Published"]


def test_filters_and_search_narrow_the_day(make, conference):
    hall, lab = make.room(conference, "Hall"), make.room(conference, "Lab")
    cardio, onco = make.track(conference, "Cardiology"), make.track(conference, "Oncology")
    speaker = Speaker(conference_id=conference.id, name="Dr. Ingrid Vermeulen")
    make.item(
        conference,
        title="Valves",
        room=hall,
        track=cardio,
        tags="heart failure,imaging",
        starts_at=FRI_9,
        speakers=[speaker],
    )
    make.item(
        conference,
        title="Immunotherapy 100%",
        room=lab,
        track=onco,
        kind=ItemKind.WORKSHOP,
        abstract="Hands-on: HEART and lungs",
        starts_at=FRI_9,
    )
    publish_schedule(conference, by=None)
    day = date(2027, 3, 26)

    def shown(**filters):
        return titles(listing.day_items(conference, day, Filters(**filters)))

    assert shown() == ["Immunotherapy 100%", "Valves"]
    assert shown(track_id=cardio.id) == ["Valves"]
    assert shown(room_id=lab.id) == ["Immunotherapy 100%"]
    assert shown(kind=ItemKind.WORKSHOP) == ["Immunotherapy 100%"]
    assert shown(tag="imaging") == ["Valves"]
    assert shown(tag="heart") == []  # a whole tag, not a part of one
    assert shown(q="heart") == ["Immunotherapy 100%"]  # abstract, any case
    assert shown(q="vermeulen") == ["Valves"]  # speaker name
    assert shown(q="VALVES") == ["Valves"]
    assert shown(q="100%") == ["Immunotherapy 100%"]  # % and _ are literal
    assert shown(q="_") == []
    assert shown(q="valves", track_id=onco.id) == []


def test_day_counts_tell_where_the_matches_are(make, conference):
    make.item(conference, title="Friday heart", starts_at=FRI_9)
    make.item(conference, title="Sunday heart", starts_at=SUN_9)
    make.item(conference, title="Sunday lungs", starts_at=SUN_9)
    make.item(conference, title="Late Sunday", starts_at=datetime(2027, 3, 28, 21, 30, tzinfo=UTC))
    publish_schedule(conference, by=None, confirm_conflicts=True)
    counts = listing.day_counts(conference, Filters(q="heart"))
    assert counts == {date(2027, 3, 26): 1, date(2027, 3, 27): 0, date(2027, 3, 28): 1}
    # 23:30 CEST on Sunday is still Sunday.
    assert listing.day_counts(conference, Filters())[date(2027, 3, 28)] == 3


def test_an_unknown_timezone_falls_back_to_the_conference(conference):
    assert days.display_timezone(conference, "America/New_York")[0].key == "America/New_York"
    assert days.display_timezone(conference, None) == (conference.tz, False)
    assert days.display_timezone(conference, "Mars/Olympus_Mons") == (conference.tz, True)
    assert days.display_timezone(conference, "../../etc/passwd") == (conference.tz, True)


def test_now_and_next_while_the_conference_runs(make, conference):
    make.item(conference, title="Keynote", starts_at=FRI_9, minutes=60)
    make.item(conference, title="Short talk", starts_at=FRI_9)
    dropped = make.item(conference, title="Dropped", starts_at=FRI_9, minutes=90)
    make.item(conference, title="After coffee", starts_at=FRI_9 + timedelta(hours=2))
    make.item(conference, title="Also after coffee", starts_at=FRI_9 + timedelta(hours=2))
    make.item(conference, title="Afternoon", starts_at=FRI_9 + timedelta(hours=5))
    publish_schedule(conference, by=None)
    dropped.cancelled = True
    db.session.flush()
    publish_schedule(conference, by=None)
    running, upcoming = listing.now_and_next(conference, FRI_9 + timedelta(minutes=50))
    assert titles(running) == ["Keynote"]  # the 45-minute talk is over
    assert titles(upcoming) == ["After coffee", "Also after coffee"]


def test_badges_mark_what_the_latest_release_changed(make, conference):
    moved = make.item(conference, title="Moved", starts_at=FRI_9)
    dropped = make.item(conference, title="Dropped", starts_at=FRI_9)
    publish_schedule(conference, by=None)
    first = make.item(conference, title="Brand new", starts_at=FRI_9)
    assert live.latest_badges(conference, [moved.id, dropped.id]) == {}  # release 1: no "new"
    moved.starts_at += timedelta(hours=1)
    moved.ends_at += timedelta(hours=1)
    dropped.cancelled = True
    db.session.flush()
    publish_schedule(conference, by=None)
    badges = live.latest_badges(conference, [moved.id, dropped.id, first.id])
    assert badges == {moved.id: ["moved"], dropped.id: ["cancelled"], first.id: ["new"]}


def test_starring_is_idempotent_and_counted(make, conference):
    item = make.item(conference, starts_at=FRI_9)
    publish_schedule(conference, by=None)
    published = services.find_published(conference, item.id)
    alice, bob = make.user(), make.user()
    services.star_session(alice, published)
    services.star_session(alice, published)
    services.star_session(bob, published)
    assert services.star_state(alice, published) == (True, 2)
    services.unstar_session(alice, published)
    services.unstar_session(alice, published)
    assert services.star_state(alice, published) == (False, 1)


def test_a_lost_starring_race_keeps_one_star(make, conference, monkeypatch):
    item = make.item(conference, starts_at=FRI_9)
    publish_schedule(conference, by=None)
    published = services.find_published(conference, item.id)
    user = make.user()
    db.session.add(Star(user_id=user.id, item_id=item.id))
    db.session.flush()
    db.session.expunge_all()  # as if another request had starred it unseen by this one
    published = services.find_published(conference, item.id)
    monkeypatch.setattr(db.session, "get", lambda *args, **kwargs: None)
    services.star_session(user, published)  # the insert fails on the primary key; no error
    monkeypatch.undo()
    assert db.session.scalar(select(func.count()).select_from(Star)) == 1


def test_cancelled_items_cannot_be_starred_but_keep_earlier_stars(make, conference):
    item = make.item(conference, title="Fragile", starts_at=FRI_9)
    publish_schedule(conference, by=None)
    user = make.user()
    services.star_session(user, services.find_published(conference, item.id))
    item.cancelled = True
    db.session.flush()
    publish_schedule(conference, by=None)
    cancelled = services.find_published(conference, item.id)
    with pytest.raises(services.StarRefused, match="“Fragile” is cancelled"):
        services.star_session(make.user(), cancelled)
    assert services.star_state(user, cancelled) == (True, 1)


def test_drafts_and_other_conferences_items_are_not_found(make, conference):
    other = make.conference("elsewhere")
    theirs = make.item(other, starts_at=FRI_9)
    publish_schedule(other, by=None)
    draft = make.item(conference, starts_at=FRI_9)
    assert services.find_published(conference, theirs.id) is None
    assert services.find_published(conference, draft.id) is None
    assert services.find_session(conference, draft.id, None) is None


def test_the_agenda_names_clashes_and_ignores_cancelled_ones(make, conference):
    user = make.user()
    a = make.item(conference, title="A", starts_at=FRI_9, minutes=60)
    b = make.item(conference, title="B", starts_at=FRI_9 + timedelta(minutes=30))
    c = make.item(conference, title="C", starts_at=FRI_9 + timedelta(minutes=60))  # touches A
    d = make.item(conference, title="D", starts_at=FRI_9)
    e = make.item(conference, title="E", starts_at=SUN_9)
    make.item(conference, title="Not starred", starts_at=FRI_9)
    publish_schedule(conference, by=None)
    for item in (a, b, c, d, e):
        services.star_session(user, services.find_published(conference, item.id))
    d.cancelled = True
    db.session.flush()
    publish_schedule(conference, by=None)

    agenda = services.agenda_of(user, conference).days
    assert [day for day, _ in agenda] == [date(2027, 3, 26), date(2027, 3, 28)]
    clashes = {e.item.title: titles(e.clashes) for _, entries in agenda for e in entries}
    assert clashes == {"A": ["B"], "D": [], "B": ["A", "C"], "C": ["B"], "E": []}


def test_a_speaker_sees_the_published_sessions_they_speak_in(make, conference):
    user, other = make.user(), make.user()
    mine = Speaker(conference_id=conference.id, name="Me", user_id=user.id)
    make.item(conference, title="My talk", starts_at=FRI_9, speakers=[mine])
    make.item(conference, title="Someone else's", starts_at=FRI_9)
    publish_schedule(conference, by=None)
    make.item(conference, title="My draft", starts_at=FRI_9, speakers=[mine])
    spoken = services.sessions_spoken_by(user, conference)
    assert [(day, titles(items)) for day, items in spoken] == [(date(2027, 3, 26), ["My talk"])]
    assert services.sessions_spoken_by(other, conference) == []


def test_the_session_page_shows_published_speakers_links_and_history(make, conference):
    user = make.user()
    linked = Speaker(conference_id=conference.id, name="Ada Byron", user_id=user.id)
    plain = Speaker(conference_id=conference.id, name="Bo Chen")
    item = make.item(conference, title="Old title", starts_at=FRI_9, speakers=[linked, plain])
    db.session.add(ItemLink(item_id=item.id, label="Slides", url="https://example.org/s.pdf"))
    publish_schedule(conference, by=None)
    item.title = "New title"
    db.session.flush()
    publish_schedule(conference, by=None)
    item.speakers = [plain]  # a draft change attendees must not see yet
    db.session.flush()

    item = services.find_session(conference, item.id, None).item
    assert item.title == "New title"
    page = details.session_details(conference, item)
    assert page.speakers == [("Ada Byron", True), ("Bo Chen", False)]

    assert [link.label for link in page.links] == ["Slides"]
    assert [(c.release, c.kind.value, c.summary) for c in page.changes] == [
        (2, "renamed", "was “Old title”"),
        (1, "added", ""),
    ]


def test_speaker_names_with_commas_stay_whole(make, conference):
    odd = Speaker(conference_id=conference.id, name="Smith, Jr., Alan", user_id=make.user().id)
    plain = Speaker(conference_id=conference.id, name="Bo Chen")
    item = make.item(conference, starts_at=FRI_9, speakers=[odd, plain])
    publish_schedule(conference, by=None)
    published = services.find_published(conference, item.id)
    assert published.speaker_names.count(", ") == 3
    assert sorted(details.session_details(conference, published).speakers) == [
        ("Bo Chen", False),
        ("Smith, Jr., Alan", True),
    ]


def test_release_history_groups_changes_and_uses_published_titles(make, conference):
    hall, lab = make.room(conference, "Hall"), make.room(conference, "Lab")
    kept = make.item(conference, title="Kept", room=hall, starts_at=FRI_9)
    moved = make.item(conference, title="Moved", room=hall, starts_at=FRI_9 + timedelta(hours=2))
    publish_schedule(conference, by=None, note="First programme")
    moved.room = lab
    moved.starts_at += timedelta(days=1)
    moved.ends_at += timedelta(days=1)
    kept.abstract = "Now with an abstract"
    make.item(conference, title="Draft", starts_at=FRI_9, cancelled=True)
    db.session.flush()
    publish_schedule(conference, by=None, note="Rooms shuffled")
    moved.title = "Secret draft title"
    db.session.flush()

    history = release_history(conference)
    assert [(s.release.number, s.release.note, s.total) for s in history] == [
        (2, "Rooms shuffled", 2),
        (1, "First programme", 2),
    ]
    latest = {
        kind.value: [(line.title, line.summary) for line in lines]
        for kind, lines in history[0].groups
    }
    assert latest == {
        "moved": [("Moved", "Fri 26 Mar 11:00–11:45 → Sat 27 Mar 11:00–11:45")],
        "room changed": [("Moved", "Hall → Lab")],
        "updated": [("Kept", "")],
    }
    assert [kind.value for kind, _ in history[0].groups] == ["moved", "room changed", "updated"]
