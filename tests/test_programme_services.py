"""The organizer's programme rules, without HTTP: sessions, rooms, tracks, statuses, demand."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from confnet.extensions import db
from confnet.models import (
    ChangeKind,
    ItemKind,
    ItemLink,
    Membership,
    Role,
    ScheduleItem,
    Speaker,
    Star,
    Track,
)
from confnet.programme import demand, overview, services, venues
from confnet.programme.parsing import FieldError, InvalidInput, local_moment, parse_tags
from confnet.releases.services import publish_schedule

AMS = ZoneInfo("Europe/Amsterdam")
FRI_9 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)  # 09:00 CET


@pytest.fixture
def conference(make):
    return make.conference(tz="Europe/Amsterdam", starts_on=date(2027, 3, 26), days=3)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def item_input(**changes) -> services.ItemInput:
    data = {
        "title": "Heart failure at home",
        "day": date(2027, 3, 26),
        "starts": time(9, 0),
        "ends": time(9, 45),
    }
    return services.ItemInput(**{**data, **changes})


# ---- local times ---------------------------------------------------------------------------


def test_local_times_become_utc_on_both_sides_of_the_dst_switch():
    assert local_moment(date(2027, 3, 27), time(9, 0), AMS) == datetime(
        2027, 3, 27, 8, 0, tzinfo=UTC
    )
    assert local_moment(date(2027, 3, 28), time(9, 0), AMS) == datetime(
        2027, 3, 28, 7, 0, tzinfo=UTC
    )


def test_a_time_skipped_by_the_switch_to_summer_time_is_refused():
    with pytest.raises(FieldError, match="There is no 02:30 on Sun 28 Mar 2027") as caught:
        local_moment(date(2027, 3, 28), time(2, 30), AMS, "starts")
    assert caught.value.field == "starts"


def test_a_time_that_happens_twice_means_its_first_occurrence():
    # On 31 October 2027 Amsterdam's clocks go back at 03:00 CEST: 02:30 happens twice.
    first = local_moment(date(2027, 10, 31), time(2, 30), AMS)
    assert first == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 CEST, not CET


# ---- sessions ------------------------------------------------------------------------------


def test_creating_a_session_with_speakers_tags_and_links(make, conference):
    room, track = make.room(conference, "Hall"), make.track(conference)
    ada = make.user("ada@example.org", "Ada Byron")  # an account, not yet in the conference
    existing = Speaker(conference_id=conference.id, name="Lena Vogel")
    db.session.add(existing)
    saved = services.save_item(
        conference,
        item_input(
            kind=ItemKind.PANEL,
            room_id=room.id,
            track_id=track.id,
            speakers="Dr. Ada Byron <ADA@example.org>\nlena vogel\n\n"
            "New Person <nobody@example.org>",
            tags=" Heart Failure, imaging,heart   failure, ,IMAGING ",
            links="Slides | https://example.org/slides.pdf\n\nPaper|http://doi.example/10.1/x",
            capacity=40,
            signup_required=True,
        ),
    )
    item = saved.item
    assert item.starts_at == FRI_9 and item.ends_at == FRI_9 + timedelta(minutes=45)
    assert (item.room, item.track, item.kind) == (room, track, ItemKind.PANEL)
    assert item.tags == "heart failure,imaging"
    assert [(link.label, link.url, link.position) for link in item.links] == [
        ("Slides", "https://example.org/slides.pdf", 0),
        ("Paper", "http://doi.example/10.1/x", 1),
    ]
    names = {s.name: s for s in item.speakers}
    assert set(names) == {"Dr. Ada Byron", "Lena Vogel", "New Person"}
    assert names["Lena Vogel"] is existing  # matched case-insensitively, not duplicated
    assert names["Dr. Ada Byron"].user_id == ada.id
    assert names["New Person"].user_id is None
    assert saved.notes == ["No account uses nobody@example.org, so New Person has no login linked."]
    membership = db.session.scalar(select(Membership).filter_by(user_id=ada.id))
    assert membership.role is Role.SPEAKER and membership.conference_id == conference.id
    assert services.speaker_text(item) == "Dr. Ada Byron <ada@example.org>\nLena Vogel\nNew Person"


def test_a_linked_speaker_keeps_a_higher_role_and_an_attendee_becomes_speaker(make, conference):
    organizer, attendee = make.user("org@example.org"), make.user("att@example.org")
    make.member(organizer, conference, Role.ORGANIZER)
    make.member(attendee, conference, Role.ATTENDEE)
    services.save_item(
        conference, item_input(speakers="Org <org@example.org>\nAtt <att@example.org>")
    )
    roles = dict(db.session.execute(select(Membership.user_id, Membership.role)).all())
    assert roles == {organizer.id: Role.ORGANIZER, attendee.id: Role.SPEAKER}


def test_updating_replaces_speakers_links_and_times(make, conference):
    item = services.save_item(
        conference, item_input(speakers="A One\nB Two", links="Old | https://old.example")
    ).item
    services.save_item(
        conference,
        item_input(
            day=date(2027, 3, 28),
            starts=time(9, 0),
            ends=time(10, 0),
            speakers="B Two",
            links="New | https://new.example",
        ),
        item,
    )
    assert [s.name for s in item.speakers] == ["B Two"]
    assert [link.label for link in item.links] == ["New"]
    assert count(ItemLink) == 1
    assert item.starts_at == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)  # 09:00 CEST
    assert count(Speaker) == 2  # speakers stay listed for the conference


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends": time(8, 30)}, "ends", "end must be after the start"),
        (
            {"starts": time(2, 30), "ends": time(4, 0), "day": date(2027, 3, 28)},
            "starts",
            "no 02:30",
        ),
        ({"day": date(2027, 5, 1)}, "day", "during the conference"),
        ({"title": "   "}, "title", "required"),
        ({"title": "x" * 201}, "title", "At most 200"),
        ({"capacity": 0}, "capacity", "from 1"),
        ({"signup_required": True}, "signup_required", "needs a capacity"),
        ({"links": "Slides | https://ok.example\nno bar here"}, "links", "Line 2"),
        ({"links": "Bad | javascript:alert(1)"}, "links", "not a web address"),
        ({"links": "Bad | ftp://files.example/x"}, "links", "not a web address"),
        ({"speakers": "Ada <not-an-email>"}, "speakers", "not an email address"),
        ({"speakers": "Ada <ada@example.org"}, "speakers", "Name <email>"),
        ({"tags": "x" * 61}, "tags", "too long"),
    ],
)
def test_bad_input_saves_nothing(conference, changes, field, message):
    with pytest.raises(InvalidInput) as caught:
        services.save_item(conference, item_input(**{"speakers": "Someone New", **changes}))
    assert message in caught.value.errors[field]
    assert count(ScheduleItem) == count(Speaker) == count(ItemLink) == 0


def test_several_bad_fields_are_reported_together(conference):
    with pytest.raises(InvalidInput) as caught:
        services.save_item(conference, item_input(title="", ends=time(8, 0), links="nope"))
    assert set(caught.value.errors) == {"title", "ends", "links"}


def test_rooms_and_tracks_of_another_conference_are_refused(make, conference):
    other = make.conference()
    room, track = make.room(other), make.track(other)
    with pytest.raises(InvalidInput) as caught:
        services.save_item(conference, item_input(room_id=room.id, track_id=track.id))
    assert caught.value.errors == {
        "room": "Choose one of this conference's rooms.",
        "track": "Choose one of this conference's tracks.",
    }
    with pytest.raises(InvalidInput, match="rooms"):
        services.save_item(conference, item_input(room_id=2**40))
    assert count(ScheduleItem) == 0


def test_only_never_published_sessions_can_be_deleted(make, conference):
    shown = make.item(conference, title="Shown")
    publish_schedule(conference, by=None)
    draft = make.item(conference, title="Draft only")
    with pytest.raises(services.ItemRefused, match="Cancel it instead"):
        services.delete_item(conference, shown)
    services.delete_item(conference, draft)
    assert db.session.scalars(select(ScheduleItem.title)).all() == ["Shown"]


def test_tags_are_lower_case_trimmed_and_unique():
    assert parse_tags("AI,  Machine   Learning , ai,") == "ai,machine learning"
    assert parse_tags("") == ""


# ---- rooms and tracks ----------------------------------------------------------------------


def test_room_names_are_unique_per_conference(make, conference):
    venues.create_room(conference, venues.RoomInput("Hall A", 200, "Ground floor", 1))
    venues.create_room(make.conference(), venues.RoomInput("Hall A"))  # another conference
    with pytest.raises(FieldError, match="already has a room called “Hall A”"):
        venues.create_room(conference, venues.RoomInput("  Hall   A "))
    lab = venues.create_room(conference, venues.RoomInput("Lab", 20))
    with pytest.raises(FieldError, match="already has a room"):
        venues.update_room(lab, venues.RoomInput("Hall A", 20))
    assert lab.name == "Lab"
    assert [r.name for r, _ in venues.rooms_of(conference)] == ["Lab", "Hall A"]  # by position


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (venues.RoomInput(""), "name"),
        (venues.RoomInput("Hall", capacity=0), "capacity"),
        (venues.RoomInput("Hall", capacity=-5), "capacity"),
        (venues.RoomInput("Hall", notes="n" * 201), "notes"),
    ],
)
def test_bad_room_input_is_refused(conference, data, field):
    with pytest.raises(FieldError) as caught:
        venues.create_room(conference, data)
    assert caught.value.field == field


def test_a_room_in_use_cannot_be_deleted(make, conference):
    hall, spare = make.room(conference, "Hall"), make.room(conference, "Spare")
    item = make.item(conference, room=hall)
    with pytest.raises(venues.InUse, match="1 session"):
        venues.delete_room(conference, hall)
    publish_schedule(conference, by=None)
    item.room = spare
    db.session.flush()
    with pytest.raises(venues.InUse, match="Attendees still see this room"):
        venues.delete_room(conference, hall)  # the published version is still in it
    venues.delete_room(conference, make.room(conference, "Unused"))
    assert sorted(r.name for r, _ in venues.rooms_of(conference)) == ["Hall", "Spare"]


@pytest.mark.parametrize("colour", ["red", "#abc", "#GGGGGG", "", "#1234567", "1d4ed8"])
def test_track_colours_must_be_hex(conference, colour):
    with pytest.raises(FieldError, match="six hex digits"):
        venues.create_track(conference, venues.TrackInput("Cardiology", colour))
    assert count(Track) == 0


def test_track_colours_are_stored_lower_case_and_names_unique(conference):
    track = venues.create_track(conference, venues.TrackInput("Cardiology", "#B42318"))
    assert track.colour == "#b42318"
    with pytest.raises(FieldError, match="already has a track"):
        venues.create_track(conference, venues.TrackInput("Cardiology", "#000000"))


def test_a_track_in_use_cannot_be_deleted(make, conference):
    track = make.track(conference)
    item = make.item(conference, track=track)
    with pytest.raises(venues.InUse):
        venues.delete_track(conference, track)
    item.track = None
    venues.delete_track(conference, track)
    assert count(Track) == 0


# ---- lists and statuses --------------------------------------------------------------------


def test_statuses_tell_drafts_pending_changes_and_published_apart(make, conference):
    synced = make.item(conference, title="Synced")
    moved = make.item(conference, title="Moved")
    publish_schedule(conference, by=None)
    draft = make.item(conference, title="Draft")
    moved.starts_at += timedelta(hours=1)
    moved.ends_at += timedelta(hours=1)
    db.session.flush()
    statuses = overview.item_statuses(conference)
    assert statuses[synced.id].published and statuses[synced.id].changes == []
    assert statuses[moved.id].unpublished_changes
    assert [kind for kind, _ in statuses[moved.id].changes] == [ChangeKind.MOVED]
    assert not statuses[draft.id].published and not statuses[draft.id].unpublished_changes


def test_list_filters_by_local_day_room_track_and_text(make, conference):
    hall, track = make.room(conference, "Hall"), make.track(conference, "Oncology")
    speaker = Speaker(conference_id=conference.id, name="Marco Bianchi")
    # 23:30 UTC on the 27th is 00:30 on Sunday 28 March in Amsterdam.
    late = make.item(conference, title="Late", starts_at=datetime(2027, 3, 27, 23, 30, tzinfo=UTC))
    make.item(conference, title="Friday", room=hall, track=track, speakers=[speaker])
    make.item(conference, title="100% sure", tags="imaging")

    def titles(**kw):
        return [i.title for i in overview.list_items(conference, overview.ItemFilter(**kw))]

    assert titles(day=date(2027, 3, 28)) == ["Late"]
    assert titles(room_id=hall.id) == titles(track_id=track.id) == ["Friday"]
    assert titles(text="bianchi") == ["Friday"]
    assert titles(text="IMAGING") == ["100% sure"]
    assert titles(text="%") == ["100% sure"]  # wildcards are searched for, not obeyed
    days = overview.group_by_day(overview.list_items(conference, overview.ItemFilter()), AMS)
    assert [(day, [i.title for i in items]) for day, items in days] == [
        (date(2027, 3, 26), ["Friday", "100% sure"]),
        (date(2027, 3, 28), [late.title]),
    ]


# ---- demand --------------------------------------------------------------------------------


def test_demand_counts_stars_per_published_session_against_capacity(make, conference):
    lab = make.room(conference, "Lab", capacity=2)
    hall = make.room(conference, "Hall", capacity=100)
    full = make.item(conference, title="Full", room=lab)
    workshop = make.item(
        conference, title="Workshop", room=hall, kind=ItemKind.WORKSHOP, capacity=1
    )
    quiet = make.item(conference, title="Quiet", room=hall, starts_at=FRI_9 + timedelta(hours=2))
    gone = make.item(conference, title="Gone")
    publish_schedule(conference, by=None)
    draft = make.item(conference, title="Draft")
    gone.cancelled = True
    publish_schedule(conference, by=None)
    users = [make.user() for _ in range(3)]
    stars = [(u, full) for u in users] + [(u, workshop) for u in users[:2]] + [(users[0], gone)]
    db.session.add_all(Star(user_id=u.id, item_id=i.id) for u, i in stars)
    db.session.flush()

    found = demand.demand_per_item(conference)
    assert {i: d.stars for i, d in found.items()} == {
        full.id: 3,
        workshop.id: 2,
        quiet.id: 0,
        draft.id: 0,
    }
    assert found[full.id].warning == "3 starred, room holds 2"
    assert found[workshop.id].warning == "2 starred, 1 places (room holds 100)"
    assert found[quiet.id].warning == "" and found[quiet.id].excess == 0
    ranking = demand.ranked(found)
    assert [d.item.title for d in ranking][:2] == ["Full", "Workshop"]

    chart = demand.bar_chart(ranking)
    assert [row.label for row in chart.rows] == ["Full", "Workshop"]  # no stars, no bar
    assert chart.scale == 3 and chart.rows[0].bar_pct == demand.BAR_SPAN
    assert chart.rows[0].limit_pct == pytest.approx(2 / 3 * demand.BAR_SPAN, abs=0.01)


def test_demand_takes_the_same_number_of_queries_for_any_programme(make, conference, app):
    def queries() -> int:
        db.session.expire_all()
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            demand.demand_per_item(conference)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    room = make.room(conference)
    make.item(conference, room=room, starts_at=FRI_9)
    publish_schedule(conference, by=None)
    few = queries()
    for n in range(10):
        make.item(conference, room=room, starts_at=FRI_9 + timedelta(hours=n + 1))
    publish_schedule(conference, by=None)
    assert queries() == few
