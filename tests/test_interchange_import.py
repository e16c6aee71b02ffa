"""Importing CSV, frab schedule.json and schedule.xml into the draft, without HTTP: upserts by
guid, every bad row reported with its line, nothing changed by a failed import, round trips."""

import json
import time as clock
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, func, select

from confnet.demo import seed_demo
from confnet.extensions import db
from confnet.interchange import services
from confnet.interchange.rows import ImportFailed, kind_from_frab
from confnet.interchange.snapshot import ExportLinks
from confnet.models import (
    Conference,
    ItemKind,
    ItemLink,
    PublishedItem,
    Room,
    ScheduleItem,
    Speaker,
    Track,
)
from confnet.releases.services import pending_changes, publish_schedule

LINKS = ExportLinks(
    base_url="https://confnet.example/",
    conference_url="https://confnet.example/c/x/",
    file_url="https://confnet.example/c/x/schedule.xml",
    session_url=lambda item_id: f"https://confnet.example/c/x/sessions/{item_id}",
)
GUID = "0f8e5b9c-1d2a-4c3b-9e8f-7a6b5c4d3e2f"
HEADER = (
    "guid,title,kind,start,end,room,track,speakers,tags,abstract,capacity,signup_required,links"
)


@pytest.fixture
def conference(make):
    return make.conference("cardio-27", tz="Europe/Amsterdam", starts_on=date(2027, 3, 26))


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join((header, *lines)) + "\n").encode()


def counts() -> dict:
    models = (ScheduleItem, Room, Track, Speaker, ItemLink, PublishedItem)
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in models
    }


def import_csv(conference, *lines, header=HEADER):
    return services.import_schedule(conference, csv_bytes(*lines, header=header), filename="x.csv")


def problems_of(conference, data: bytes, filename: str) -> list[str]:
    before = counts()
    with pytest.raises(ImportFailed) as caught:
        services.import_schedule(conference, data, filename=filename)
    db.session.flush()
    assert counts() == before
    return [str(problem) for problem in caught.value.problems]


def test_a_csv_creates_sessions_rooms_tracks_and_speakers(make, conference):
    user = make.user("ada@example.org", "Ada Byron")
    summary = import_csv(
        conference,
        f"{GUID},Echo for beginners,workshop,2027-03-26 10:30,2027-03-26 12:00,Skills Lab,"
        'Cardiology,"Ada Byron <Ada@Example.org>; Tomás Ferreira",'
        '"Echo, Imaging",Hands on.,24,yes,"Slides <https://example.org/s.pdf>"',
        ",Sunday keynote,keynote,2027-03-28 10:00,11:00,Main Hall,,,,,,no,",
    )
    assert (summary.created, summary.updated) == (2, 0)
    assert summary.rooms == ["Skills Lab", "Main Hall"] and summary.tracks == ["Cardiology"]
    assert "draft" in summary.message() and "Imported 2 sessions" in summary.message()
    echo = db.session.scalar(select(ScheduleItem).filter_by(guid=uuid.UUID(GUID)))
    assert echo.kind is ItemKind.WORKSHOP and echo.capacity == 24 and echo.signup_required
    assert echo.starts_at == datetime(2027, 3, 26, 9, 30, tzinfo=UTC)  # 10:30 CET
    assert echo.tags == "echo,imaging" and echo.abstract == "Hands on."
    assert [(link.label, link.url) for link in echo.links] == [
        ("Slides", "https://example.org/s.pdf")
    ]
    assert sorted(s.name for s in echo.speakers) == ["Ada Byron", "Tomás Ferreira"]
    ada = next(s for s in echo.speakers if s.name == "Ada Byron")
    assert ada.user_id == user.id
    keynote = db.session.scalar(select(ScheduleItem).filter_by(title="Sunday keynote"))
    assert keynote.starts_at == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # 10:00 CEST
    assert keynote.ends_at == datetime(2027, 3, 28, 9, 0, tzinfo=UTC)
    assert keynote.room.name == "Main Hall" and keynote.track is None


def test_date_start_and_duration_columns_work_too(conference):
    summary = import_csv(
        conference,
        "Morning talk,talk,2027-03-27,09:15,00:45",
        "Short talk,talk,2027-03-27,10:00,20",
        header="title,kind,date,start,duration",
    )
    assert summary.created == 2
    talk = db.session.scalar(select(ScheduleItem).filter_by(title="Short talk"))
    assert talk.ends_at - talk.starts_at == (datetime(2027, 1, 1, 0, 20) - datetime(2027, 1, 1))


def test_semicolon_separated_files_from_european_spreadsheets(conference):
    data = (
        "\ufefftitle;kind;start;end;speakers\n"
        'Talk;talk;2027-03-26 09:00;2027-03-26 09:30;"A One; B Two"\n'
    ).encode()
    services.import_schedule(conference, data, filename="x.csv")
    item = db.session.scalar(select(ScheduleItem))
    assert sorted(s.name for s in item.speakers) == ["A One", "B Two"]


def test_the_same_guid_updates_and_left_out_columns_stay(conference):
    import_csv(
        conference,
        f"{GUID},Echo,workshop,2027-03-26 10:30,2027-03-26 12:00,Lab,,A Person,echo,Text,24,yes,",
    )
    item = db.session.scalar(select(ScheduleItem))
    summary = services.import_schedule(
        conference,
        csv_bytes(
            f"{GUID},Echo (full),workshop,2027-03-26 11:00,2027-03-26 12:30",
            header="guid,title,kind,start,end",
        ),
        filename="again.csv",
    )
    assert (summary.created, summary.updated) == (0, 1)
    db.session.refresh(item)
    assert item.title == "Echo (full)" and item.capacity == 24 and item.room.name == "Lab"
    assert [s.name for s in item.speakers] == ["A Person"] and item.tags == "echo"
    assert db.session.scalar(select(func.count()).select_from(ScheduleItem)) == 1


def test_imports_stay_in_the_draft_until_published(conference):
    import_csv(conference, ",Talk,talk,2027-03-26 09:00,2027-03-26 09:30,,,,,,,,")
    assert db.session.scalar(select(func.count()).select_from(PublishedItem)) == 0
    assert [change.item.title for change in pending_changes(conference)] == ["Talk"]


BAD_ROWS = [
    (",,talk,2027-03-26 09:00,2027-03-26 09:30,,,,,,,,", "The title is missing"),
    (",T,seminar,2027-03-26 09:00,2027-03-26 09:30,,,,,,,,", "The kind “seminar” is unknown"),
    (",T,talk,26/03/2027 9am,2027-03-26 09:30,,,,,,,,", "is not a date and time"),
    (",T,talk,2027-03-26 10:00,2027-03-26 09:30,,,,,,,,", "ends before"),
    (",T,talk,2027-03-28 02:30,2027-03-28 03:30,,,,,,,,", "does not exist in Europe/Amsterdam"),
    (",T,talk,2027-03-26 09:00,,,,,,,,,", "The end (or duration) is missing"),
    (f",{'x' * 201},talk,2027-03-26 09:00,2027-03-26 09:30,,,,,,,,", "the most is 200"),
    (f",T,talk,2027-03-26 09:00,2027-03-26 09:30,{'R' * 121},,,,,,,", "the most is 120"),
    (",T,talk,2027-03-26 09:00,2027-03-26 09:30,,,,,,-3,,", "capacity “-3”"),
    (",T,talk,2027-03-26 09:00,2027-03-26 09:30,,,,,,,maybe,", "should be yes or no"),
    (",T,talk,2027-03-26 09:00,2027-03-26 09:30,,,,,,,,javascript:alert(1)", "http://"),
    (",T,talk,2027-03-26 09:00,2027-03-26 09:30,,,Ann <not-an-email>,,,,,", "not an email"),
    ("not-a-guid,T,talk,2027-03-26 09:00,2027-03-26 09:30,,,,,,,,", "is not a guid"),
    (",T\x07,talk,2027-03-26 09:00,2027-03-26 09:30,,,,,,,,", "control characters"),
    (",T,talk,2027-03-26 09:00,2027-03-26 09:30,,,,,,,,,extra", "more values than"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_each_kind_of_bad_csv_row_is_reported_with_its_line(conference, row, message):
    good = ",Fine,talk,2027-03-26 11:00,2027-03-26 11:30,Hall,Track,New Person,,,,,"
    problems = problems_of(conference, csv_bytes(good, row), "bad.csv")
    assert len(problems) == 1
    assert problems[0].startswith("Line 3: ") and message in problems[0]


def test_all_problems_are_listed_with_lines_counted_across_multiline_cells(conference):
    data = csv_bytes(
        ',Good,talk,2027-03-26 09:00,2027-03-26 09:30,,,,,"An abstract\nover two lines",,,',
        ",Bad kind,lecture,2027-03-26 09:00,2027-03-26 09:30,,,,,,,,",
        f"{GUID},First,talk,2027-03-26 09:00,2027-03-26 09:30,,,,,,,,",
        "",
        f"{GUID},Second,talk,2027-03-26 09:00,2027-03-26 08:30,,,,,,,,",
    )
    problems = problems_of(conference, data, "bad.csv")
    assert problems[0].startswith("Line 4: The kind “lecture”")
    assert any(p.startswith("Line 7: It ends before") for p in problems)
    assert any(p.startswith("Line 7: The guid") and "Line 5" in p for p in problems)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "x.csv", "empty"),
        ("title,kind,start,end\nCaf\xe9,talk,x,y\n".encode("latin-1"), "x.csv", "not UTF-8"),
        (b"title,kind,start,end\n\x00\x00\x01\x02", "x.csv", "NUL"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.csv", "byte 1 is not UTF-8"),
        (b"name,email\nAda,ada@example.org\n", "x.csv", "missing: title, kind, start"),
        (b"title,kind,start,end\n", "x.csv", "no sessions"),
        (b'{"schedule": {"conference": ', "x.json", "not valid JSON"),
        (b'{"schedule": {"version": "1"}}', "x.json", "/schedule/conference is missing"),
        (b"[" * 100_000, "x.json", "nested too deeply"),
        (b"<schedule><day></schedule>", "x.xml", "not well-formed XML"),
        (b"<html><body/></html>", "x.xml", "starts with <html>"),
        (
            b'<?xml version="1.0" encoding="ISO-8859-1"?><schedule/>',
            "x.xml",
            "declares another encoding",
        ),
    ],
)
def test_malformed_files_are_refused_without_changes(conference, data, filename, message):
    problems = problems_of(conference, data, filename)
    assert len(problems) == 1 and problems[0].startswith("The file: ")
    assert message in problems[0]


def test_an_xml_entity_bomb_is_refused_at_once(conference):
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE schedule [\n<!ENTITY a "aaaaaaaaaaaaaaaaaaaa">\n'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n'.encode()
            for i in range(9)
        )
        + b"]>\n<schedule><version>&j;</version></schedule>\n"
    )
    started = clock.monotonic()
    problems = problems_of(conference, bomb, "bomb.xml")
    assert clock.monotonic() - started < 2
    assert "DOCTYPE" in problems[0]
    external = b'<!DOCTYPE x SYSTEM "http://example.org/evil.dtd"><schedule/>'
    assert "DOCTYPE" in problems_of(conference, external, "external.xml")[0]


FRAB_JSON = {
    "schedule": {
        "version": "0.3",
        "conference": {
            "acronym": "other_2027",
            "title": "Other",
            "time_zone_name": "Europe/Amsterdam",
            "tracks": [{"name": "Imaging", "color": "#123456"}],
            "days": [
                {
                    "index": 1,
                    "date": "2027-03-26",
                    "rooms": {
                        "Hall A": [
                            {
                                "guid": GUID,
                                "id": 7,
                                "date": "2027-03-26T09:00:00+01:00",
                                "start": "09:00",
                                "duration": "00:45",
                                "title": "A lecture",
                                "type": "Lecture",
                                "track": "Imaging",
                                "abstract": "Short.",
                                "description": "Longer text.",
                                "persons": [{"id": 1, "public_name": "Ada Byron"}],
                                "links": [{"url": "https://example.org/x", "title": "Paper"}],
                            },
                            {
                                "title": "Hands-on echo",
                                "type": "Hands-on workshop",
                                "start": "10:00",
                                "duration": "01:30",
                                "persons": [{"name": "Tomás Ferreira"}],
                            },
                        ]
                    },
                }
            ],
        },
    }
}


def test_a_pretalx_style_json_is_imported_with_kinds_mapped(conference):
    data = json.dumps(FRAB_JSON).encode()
    summary = services.import_schedule(conference, data, filename="schedule.json")
    assert summary.created == 2
    lecture = db.session.scalar(select(ScheduleItem).filter_by(guid=uuid.UUID(GUID)))
    assert lecture.kind is ItemKind.TALK and lecture.abstract == "Short.\n\nLonger text."
    assert lecture.track.name == "Imaging" and lecture.track.colour == "#123456"
    assert [s.name for s in lecture.speakers] == ["Ada Byron"]
    assert [(link.label, link.url) for link in lecture.links] == [
        ("Paper", "https://example.org/x")
    ]
    echo = db.session.scalar(select(ScheduleItem).filter_by(title="Hands-on echo"))
    assert echo.kind is ItemKind.WORKSHOP
    assert echo.starts_at == datetime(2027, 3, 26, 9, 0, tzinfo=UTC)


def test_json_problems_name_the_day_room_and_event(conference):
    document = json.loads(json.dumps(FRAB_JSON))
    events = document["schedule"]["conference"]["days"][0]["rooms"]["Hall A"]
    events[1]["duration"] = "ninety minutes"
    events.append({"title": "", "date": "2027-03-28T02:30:00", "duration": "00:30"})
    problems = problems_of(conference, json.dumps(document).encode(), "s.json")
    assert problems[0].startswith("Day 1, room “Hall A”, event 2: The duration “ninety")
    assert "Day 1, room “Hall A”, event 3: The title is missing." in problems
    assert any(
        p.startswith("Day 1, room “Hall A”, event 3: The date 2027-03-28 02:30 does not")
        for p in problems
    )


def test_xml_problems_carry_the_line_of_their_event(conference):
    data = b"""<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <version>1</version>
  <conference><title>X</title><time_zone_name>Europe/Amsterdam</time_zone_name></conference>
  <day index="1" date="2027-03-26">
    <room name="Hall A">
      <event guid="%s" id="1">
        <date>2027-03-26T09:00:00+01:00</date><start>09:00</start><duration>00:45</duration>
        <title>Fine</title><type>talk</type><track/><abstract/>
      </event>
      <event guid="%s" id="2">
        <date>2027-03-26T10:00:00+01:00</date><start>10:00</start><duration>00:45</duration>
        <title>Same guid</title><type>talk</type><track/><abstract/>
      </event>
      <event guid="11111111-2222-3333-4444-555555555555" id="3">
        <date>2027-03-26T10:00:00+01:00</date><start>10:00</start><duration>soon</duration>
        <title>Bad duration</title><type>talk</type><track/><abstract/>
      </event>
    </room>
  </day>
</schedule>
""" % (GUID.encode(), GUID.encode())
    problems = problems_of(conference, data, "s.xml")
    assert problems == [
        f"Line 11: The guid {GUID} is also used by Line 7.",
        "Line 15: The duration “soon” is not HH:MM (e.g. 00:45) or a number of minutes.",
    ]


@pytest.fixture
def published_demo():
    conference = seed_demo().conference
    item = db.session.scalar(
        select(ScheduleItem).filter_by(conference_id=conference.id, kind=ItemKind.KEYNOTE)
    )
    publish_schedule(conference, by=None, confirm_conflicts=True)
    item.cancelled = True
    publish_schedule(conference, by=None, confirm_conflicts=True)
    return conference


def programme(conference: Conference) -> list[tuple]:
    """What a round trip must keep: guid, title, local times, room, speakers, kind, cancelled."""
    tz = conference.tz
    items = db.session.scalars(
        select(ScheduleItem).filter_by(conference_id=conference.id).order_by(ScheduleItem.guid)
    )
    return [
        (
            item.guid,
            item.title,
            item.starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            item.ends_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            item.room.name if item.room else None,
            sorted(s.name for s in item.speakers),
            item.kind,
            item.cancelled,
        )
        for item in items
    ]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_round_trip_export_then_import_into_an_empty_conference(make, published_demo, fmt):
    expected = programme(published_demo)
    data = services.export_schedule(published_demo, fmt, LINKS).body
    db.session.execute(delete(Conference).where(Conference.id == published_demo.id))
    db.session.expunge_all()
    empty = make.conference("copy-2027", tz="Europe/Amsterdam", starts_on=date(2027, 3, 26))
    summary = services.import_schedule(empty, data, filename=f"schedule.{fmt}")
    assert (summary.created, summary.updated, summary.rekeyed) == (70, 0, 0)
    assert programme(empty) == expected
    assert sum(1 for row in expected if row[7]) == sum(1 for row in programme(empty) if row[7]) > 0


def test_a_file_from_another_conference_here_gets_guids_of_its_own_and_reimports(
    make, published_demo
):
    data = services.export_schedule(published_demo, "xml", LINKS).body
    other = make.conference("copy-2027", tz="Europe/Amsterdam", starts_on=date(2027, 3, 26))
    first = services.import_schedule(other, data, filename="schedule.xml")
    assert (first.created, first.rekeyed) == (70, 70)
    again = services.import_schedule(other, data, filename="schedule.xml")
    assert (again.created, again.updated) == (0, 70)
    theirs = set(db.session.scalars(select(ScheduleItem.guid).filter_by(conference_id=other.id)))
    ours = set(
        db.session.scalars(select(ScheduleItem.guid).filter_by(conference_id=published_demo.id))
    )
    assert len(theirs) == 70 and not theirs & ours


def test_the_draft_csv_imports_back_unchanged(published_demo):
    expected = programme(published_demo)
    data = services.export_draft_csv(published_demo).body
    summary = services.import_schedule(published_demo, data, filename="draft.csv")
    assert (summary.created, summary.updated) == (0, 70)
    assert summary.rooms == summary.tracks == summary.speakers == []
    db.session.flush()
    assert programme(published_demo) == expected
    assert pending_changes(published_demo) == []


def test_csv_keeps_a_time_in_the_repeated_hour_when_the_clocks_go_back(make, conference):
    # Europe/Amsterdam goes back from 03:00 CEST to 02:00 CET on Sunday 31 October 2027.
    autumn = make.conference("autumn-27", tz="Europe/Amsterdam", starts_on=date(2027, 10, 30))
    second = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)  # the second 02:30, in CET
    make.item(autumn, title="Second half past two", starts_at=second, minutes=20)
    data = services.export_draft_csv(autumn).body
    assert "2027-10-31 02:30+01:00" in data.decode("utf-8-sig")
    services.import_schedule(conference, data, filename="draft.csv")
    copy = db.session.scalar(
        select(ScheduleItem).filter_by(conference_id=conference.id, title="Second half past two")
    )
    assert copy.starts_at == second


def test_real_rooms_named_like_the_placeholder_survive_a_round_trip(make, published_demo):
    hall = db.session.scalar(select(Room).filter_by(conference_id=published_demo.id, position=0))
    hall.name = "General"
    expected = programme(published_demo)
    data = services.export_schedule(published_demo, "json", LINKS).body
    db.session.execute(delete(Conference).where(Conference.id == published_demo.id))
    db.session.expunge_all()
    empty = make.conference("copy-2027", tz="Europe/Amsterdam", starts_on=date(2027, 3, 26))
    services.import_schedule(empty, data, filename="schedule.json")
    assert programme(empty) == expected


@pytest.mark.parametrize(
    ("filename", "start", "chosen", "expected"),
    [
        ("a.CSV", "title", None, "csv"),
        ("a.json", "title", None, "json"),
        ("schedule", '  {"schedule"', None, "json"),
        ("schedule", "<?xml", None, "xml"),
        ("schedule", "title,kind", None, "csv"),
        ("a.xml", "{", "json", "json"),
    ],
)
def test_the_format_follows_the_choice_then_the_extension_then_the_content(
    filename, start, chosen, expected
):
    assert services.detect_format(filename, start, chosen) == expected


@pytest.mark.parametrize(
    ("frab_type", "kind"),
    [
        ("lecture", ItemKind.TALK),
        ("Talk", ItemKind.TALK),
        ("Vortrag", ItemKind.TALK),
        ("Collaboration session", ItemKind.TALK),
        ("", ItemKind.TALK),
        ("Workshop", ItemKind.WORKSHOP),
        ("hands-on", ItemKind.WORKSHOP),
        ("Skills lab", ItemKind.WORKSHOP),
        ("Keynote", ItemKind.KEYNOTE),
        ("Podium discussion", ItemKind.PANEL),
        ("Poster session", ItemKind.POSTER),
        ("Coffee break", ItemKind.BREAK),
        ("Breakout session", ItemKind.TALK),
        ("Conference dinner", ItemKind.SOCIAL),
        ("social", ItemKind.SOCIAL),
    ],
)
def test_frab_types_map_onto_kinds(frab_type, kind):
    assert kind_from_frab(frab_type) is kind
