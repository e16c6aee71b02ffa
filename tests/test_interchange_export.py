"""Exports of the published schedule: frab JSON and XML valid against the c3voc schemas, CSV,
drafts never leaking, cancelled sessions, DST offsets, HTTP caching and query counts."""

import csv
import io
import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from confnet.demo import seed_demo
from confnet.extensions import db
from confnet.interchange import services
from confnet.interchange.snapshot import ExportLinks
from confnet.models import ItemKind, ItemLink, ScheduleItem, Speaker
from confnet.releases.services import publish_schedule

FORMATS = Path(__file__).resolve().parents[2] / "shared" / "formats"
FRI_9 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)  # 09:00 CET
SUN_10 = datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # 10:00 CEST, after the switch to summer time
LINKS = ExportLinks(
    base_url="https://confnet.example/",
    conference_url="https://confnet.example/c/x/",
    file_url="https://confnet.example/c/x/schedule.xml",
    session_url=lambda item_id: f"https://confnet.example/c/x/sessions/{item_id}",
)


def schema_file(name: str) -> Path:
    """The reference schema, which lives beside the repository (../shared/formats), not in it.

    CI always has it, so there a missing file fails the run; a checkout without the folder
    skips these tests with a message saying where the file is expected.
    """
    path = FORMATS / name
    if not path.exists():
        message = f"the frab schemas are not in {FORMATS} (the repository's sibling shared/)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def json_validator():
    import jsonschema

    path = schema_file("schedule.schema.json")
    schema = json.loads(path.read_text())
    return jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module")
def xml_schema():
    from lxml import etree

    path = schema_file("schedule.xml.xsd")
    return etree.XMLSchema(etree.parse(str(path)))


def assert_valid_json(validator, body: bytes) -> dict:
    document = json.loads(body)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    return document


def assert_valid_xml(schema, body: bytes):
    from lxml import etree

    root = etree.fromstring(body)
    assert schema.validate(root), schema.error_log
    return root


@pytest.fixture
def demo():
    """The demo conference with its whole draft published as release 1."""
    conference = seed_demo().conference
    publish_schedule(conference, by=None, confirm_conflicts=True)
    return conference


@pytest.fixture
def conference(make):
    """Three days across the switch to summer time (Sunday 28 March 2027 in Amsterdam)."""
    conference = make.conference("dst-2027", tz="Europe/Amsterdam", starts_on=date(2027, 3, 26))
    hall = make.room(conference, "Hall A")
    track = make.track(conference, "Cardiology")
    speaker = Speaker(conference_id=conference.id, name="Dr. Ada Byron")
    make.item(
        conference, title="Friday talk", room=hall, track=track, starts_at=FRI_9, speakers=[speaker]
    )
    make.item(conference, title="Sunday talk", room=hall, starts_at=SUN_10, minutes=30)
    make.item(conference, title="Lunch", kind=ItemKind.BREAK, starts_at=FRI_9 + timedelta(hours=3))
    return conference


def events_of(document: dict) -> list[dict]:
    return [
        event
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def test_the_published_demo_is_valid_frab_json_and_xml(demo, json_validator, xml_schema):
    document = assert_valid_json(json_validator, services.export_schedule(demo, "json", LINKS).body)
    assert document["$schema"] == "https://c3voc.de/schedule/schema.json"
    schedule = document["schedule"]
    assert schedule["version"] == "Release 1"
    conference = schedule["conference"]
    assert conference["acronym"] == "medconnect_2027"
    assert conference["time_zone_name"] == "Europe/Amsterdam"
    assert (conference["start"], conference["end"], conference["daysCount"]) == (
        "2027-03-26",
        "2027-03-28",
        3,
    )
    assert {"name": "Cardiology", "slug": "cardiology", "color": "#b42318"} in conference["tracks"]
    assert len(events_of(document)) == 70
    root = assert_valid_xml(xml_schema, services.export_schedule(demo, "xml", LINKS).body)
    assert len(root.findall("day/room/event")) == 70
    assert root.findtext("version") == "Release 1"


def test_days_and_events_carry_the_offset_of_their_own_side_of_the_dst_switch(
    conference, json_validator, xml_schema
):
    publish_schedule(conference, by=None)
    document = assert_valid_json(
        json_validator, services.export_schedule(conference, "json", LINKS).body
    )
    days = document["schedule"]["conference"]["days"]
    assert [(d["date"], d["day_start"], d["day_end"]) for d in days] == [
        ("2027-03-26", "2027-03-26T04:00:00+01:00", "2027-03-27T03:59:00+01:00"),
        ("2027-03-27", "2027-03-27T04:00:00+01:00", "2027-03-28T03:59:00+02:00"),
        ("2027-03-28", "2027-03-28T04:00:00+02:00", "2027-03-29T03:59:00+02:00"),
    ]
    friday = days[0]["rooms"]["Hall A"][0]
    assert (friday["date"], friday["start"], friday["duration"]) == (
        "2027-03-26T09:00:00+01:00",
        "09:00",
        "00:45",
    )
    assert friday["persons"][0]["name"] == "Dr. Ada Byron"
    assert friday["track"] == "Cardiology" and friday["type"] == "talk"
    sunday = days[2]["rooms"]["Hall A"][0]
    assert (sunday["date"], sunday["start"], sunday["end"]) == (
        "2027-03-28T10:00:00+02:00",
        "10:00",
        "2027-03-28T10:30:00+02:00",
    )
    root = assert_valid_xml(xml_schema, services.export_schedule(conference, "xml", LINKS).body)
    third = root.findall("day")[2]
    assert (third.get("start"), third.get("end")) == (
        "2027-03-28T04:00:00+02:00",
        "2027-03-29T03:59:00+02:00",
    )
    assert third.findtext("room/event/date") == "2027-03-28T10:00:00+02:00"


def test_items_without_a_room_are_in_the_general_room(conference, json_validator):
    publish_schedule(conference, by=None)
    document = assert_valid_json(
        json_validator, services.export_schedule(conference, "json", LINKS).body
    )
    friday = document["schedule"]["conference"]["days"][0]["rooms"]
    assert [event["title"] for event in friday["General"]] == ["Lunch"]
    assert [room["name"] for room in document["schedule"]["conference"]["rooms"]] == ["Hall A"]


def test_before_the_first_release_the_exports_are_empty_but_valid(
    conference, json_validator, xml_schema
):
    document = assert_valid_json(
        json_validator, services.export_schedule(conference, "json", LINKS).body
    )
    assert document["schedule"]["version"] == "0"
    assert events_of(document) == []
    assert len(document["schedule"]["conference"]["days"]) == 3
    root = assert_valid_xml(xml_schema, services.export_schedule(conference, "xml", LINKS).body)
    assert root.findall("day/room/event") == []
    rows = list(
        csv.reader(
            io.StringIO(services.export_schedule(conference, "csv", LINKS).body.decode("utf-8-sig"))
        )
    )
    assert rows[0][:3] == ["guid", "id", "title"] and len(rows) == 1


def test_draft_changes_reach_the_exports_only_when_published(make, conference, json_validator):
    publish_schedule(conference, by=None)
    item = db.session.scalar(select(ScheduleItem).filter_by(title="Friday talk"))
    item.title = "Friday talk (new title)"
    item.speakers.append(Speaker(conference_id=conference.id, name="Zed Newcomer"))
    make.item(conference, title="Secret draft", starts_at=SUN_10 + timedelta(hours=2))
    for fmt in ("json", "xml", "csv"):
        body = services.export_schedule(conference, fmt, LINKS).body.decode("utf-8-sig")
        assert "Friday talk" in body
        assert "new title" not in body and "Secret draft" not in body and "Zed" not in body
    publish_schedule(conference, by=None)
    document = assert_valid_json(
        json_validator, services.export_schedule(conference, "json", LINKS).body
    )
    titles = {event["title"] for event in events_of(document)}
    assert {"Friday talk (new title)", "Secret draft"} <= titles
    assert document["schedule"]["version"] == "Release 2"
    friday = next(e for e in events_of(document) if e["title"].startswith("Friday"))
    assert [p["name"] for p in friday["persons"]] == ["Dr. Ada Byron", "Zed Newcomer"]


def test_a_cancelled_session_stays_with_its_guid_and_a_cancelled_title(
    conference, json_validator, xml_schema
):
    publish_schedule(conference, by=None)
    item = db.session.scalar(select(ScheduleItem).filter_by(title="Sunday talk"))
    item.cancelled = True
    publish_schedule(conference, by=None)
    document = assert_valid_json(
        json_validator, services.export_schedule(conference, "json", LINKS).body
    )
    event = next(e for e in events_of(document) if e["guid"] == str(item.guid))
    assert event["title"] == "Cancelled: Sunday talk" and event["id"] == item.id
    root = assert_valid_xml(xml_schema, services.export_schedule(conference, "xml", LINKS).body)
    assert root.find(f"day/room/event[@guid='{item.guid}']").findtext("title") == (
        "Cancelled: Sunday talk"
    )
    text = services.export_schedule(conference, "csv", LINKS).body.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["guid"] == str(item.guid))
    assert (row["title"], row["cancelled"]) == ("Sunday talk", "yes")


def test_links_speakers_and_tags_are_exported(conference, json_validator):
    item = db.session.scalar(select(ScheduleItem).filter_by(title="Friday talk"))
    item.tags = "heart failure,imaging"
    item.links.append(ItemLink(label="Slides", url="https://example.org/slides.pdf"))
    publish_schedule(conference, by=None)
    document = assert_valid_json(
        json_validator, services.export_schedule(conference, "json", LINKS).body
    )
    event = next(e for e in events_of(document) if e["guid"] == str(item.guid))
    assert event["links"] == [
        {"title": "Slides", "url": "https://example.org/slides.pdf", "type": "related"}
    ]
    assert event["url"] == f"https://confnet.example/c/x/sessions/{item.id}"
    text = services.export_schedule(conference, "csv", LINKS).body.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["guid"] == str(item.guid))
    assert row["links"] == "Slides <https://example.org/slides.pdf>"
    assert row["tags"] == "heart failure,imaging"
    assert row["speakers"] == "Dr. Ada Byron"
    assert (row["start"], row["end"]) == ("2027-03-26 09:00", "2027-03-26 09:45")


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(make, conference):
    make.item(conference, title='=HYPERLINK("http://evil")', starts_at=SUN_10)
    publish_schedule(conference, by=None)
    text = services.export_schedule(conference, "csv", LINKS).body.decode("utf-8-sig")
    titles = [row["title"] for row in csv.DictReader(io.StringIO(text))]
    assert '\'=HYPERLINK("http://evil")' in titles


def count_queries(action) -> int:
    statements = []

    def remember(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    return len(statements)


def test_exports_run_a_fixed_number_of_queries(make, conference):
    def grow(count: int):
        room = make.room(conference, f"Room {count}")
        for n in range(count):
            speaker = Speaker(conference_id=conference.id, name=f"Speaker {count}-{n}")
            item = make.item(
                conference, room=room, starts_at=FRI_9 + timedelta(hours=n % 9), speakers=[speaker]
            )
            item.links.append(ItemLink(label="Paper", url="https://example.org/p"))
        publish_schedule(conference, by=None, confirm_conflicts=True)
        db.session.expire_all()

    grow(3)
    small = {
        fmt: count_queries(lambda f=fmt: services.export_schedule(conference, f, LINKS))
        for fmt in ("json", "xml", "csv")
    }
    grow(30)
    large = {
        fmt: count_queries(lambda f=fmt: services.export_schedule(conference, f, LINKS))
        for fmt in ("json", "xml", "csv")
    }
    assert small == large
    assert max(large.values()) <= 8


# ---- over HTTP -------------------------------------------------------------------------------


def test_exports_over_http_with_types_and_caching_headers(client, conference):
    publish_schedule(conference, by=None)
    expected = {
        "json": "application/json",
        "xml": "text/xml; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
    }
    for fmt, content_type in expected.items():
        response = client.get(f"/c/dst-2027/schedule.{fmt}")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == content_type
        assert response.headers["Cache-Control"] == "public, max-age=300"
        etag = response.headers["ETag"]
        assert etag.startswith('"') and not etag.startswith("W/")
    csv_response = client.get("/c/dst-2027/schedule.csv")
    assert csv_response.headers["Content-Disposition"] == (
        'inline; filename="dst-2027-schedule.csv"'
    )
    assert "Friday talk" in csv_response.get_data(as_text=True)
    document = client.get("/c/dst-2027/schedule.json").get_json()
    event = events_of(document)[0]
    assert event["url"].startswith("http://confnet.test/c/dst-2027/sessions/")


def test_if_none_match_gets_304_without_rendering(client, conference, monkeypatch):
    publish_schedule(conference, by=None)
    first = client.get("/c/dst-2027/schedule.xml")
    etag = first.headers["ETag"]

    def must_not_render(*_args, **_kwargs):
        raise AssertionError("rendered although the client's copy is current")

    monkeypatch.setattr(services, "export_schedule", must_not_render)
    again = client.get("/c/dst-2027/schedule.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=300"
    other_format = client.get("/c/dst-2027/schedule.json", headers={"If-None-Match": etag})
    assert other_format.status_code != 304


def test_the_etag_changes_with_a_release_but_not_with_a_draft_edit(client, make, conference):
    publish_schedule(conference, by=None)
    before = client.get("/c/dst-2027/schedule.json").headers["ETag"]
    make.item(conference, title="Draft only", starts_at=SUN_10 + timedelta(hours=3))
    assert client.get("/c/dst-2027/schedule.json").headers["ETag"] == before
    response = client.get("/c/dst-2027/schedule.json", headers={"If-None-Match": before})
    assert response.status_code == 304
    publish_schedule(conference, by=None)
    after = client.get("/c/dst-2027/schedule.json", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before
    assert "Draft only" in after.get_data(as_text=True)


def test_a_new_link_changes_the_etag_without_a_release(client, conference):
    publish_schedule(conference, by=None)
    before = client.get("/c/dst-2027/schedule.json").headers["ETag"]
    item = db.session.scalar(select(ScheduleItem).filter_by(title="Friday talk"))
    item.links.append(ItemLink(label="Recording", url="https://example.org/video"))
    response = client.get("/c/dst-2027/schedule.json", headers={"If-None-Match": before})
    assert response.status_code == 200
    assert "https://example.org/video" in response.get_data(as_text=True)


def test_a_speakers_new_bio_changes_the_etag_and_the_export_without_a_release(client, conference):
    publish_schedule(conference, by=None)
    before = client.get("/c/dst-2027/schedule.json").headers["ETag"]
    speaker = db.session.scalar(select(Speaker).filter_by(name="Dr. Ada Byron"))
    speaker.bio = "Analytical engines in the ICU."
    response = client.get("/c/dst-2027/schedule.json", headers={"If-None-Match": before})
    assert response.status_code == 200 and response.headers["ETag"] != before
    assert "Analytical engines in the ICU." in response.get_data(as_text=True)


def test_exports_are_public_and_unknown_conferences_404(client, conference):
    assert client.get("/c/dst-2027/schedule.json").status_code == 200
    assert client.get("/c/nope/schedule.json").status_code == 404
    assert client.get("/c/nope/schedule.xml").status_code == 404
    assert client.get("/c/dst-2027/schedule.pdf").status_code == 404


def test_late_night_items_belong_to_the_evening_before_and_extra_days_are_added(
    make, conference, json_validator, xml_schema
):
    # 01:30 on Saturday (CET) belongs to Friday's schedule day, which runs until 03:59.
    make.item(conference, title="Night owls", starts_at=datetime(2027, 3, 27, 0, 30, tzinfo=UTC))
    make.item(conference, title="Monday tour", starts_at=datetime(2027, 3, 29, 7, 0, tzinfo=UTC))
    publish_schedule(conference, by=None, confirm_conflicts=True)
    document = assert_valid_json(
        json_validator, services.export_schedule(conference, "json", LINKS).body
    )
    days = document["schedule"]["conference"]["days"]
    assert [day["date"] for day in days] == ["2027-03-26", "2027-03-27", "2027-03-28", "2027-03-29"]
    assert document["schedule"]["conference"]["daysCount"] == 4
    friday = [e["title"] for events in days[0]["rooms"].values() for e in events]
    assert "Night owls" in friday
    night = next(
        e for events in days[0]["rooms"].values() for e in events if e["title"] == "Night owls"
    )
    assert night["date"] == "2027-03-27T01:30:00+01:00"
    assert [e["title"] for e in days[3]["rooms"]["General"]] == ["Monday tour"]
    assert_valid_xml(xml_schema, services.export_schedule(conference, "xml", LINKS).body)


def test_a_real_room_called_general_keeps_roomless_items_apart(make, conference, json_validator):
    general = make.room(conference, "General")
    make.item(conference, title="In the General room", room=general, starts_at=SUN_10)
    publish_schedule(conference, by=None)
    document = assert_valid_json(
        json_validator, services.export_schedule(conference, "json", LINKS).body
    )
    rooms = {
        name: [e["title"] for e in events]
        for day in document["schedule"]["conference"]["days"]
        for name, events in day["rooms"].items()
    }
    assert rooms["General"] == ["In the General room"] and rooms["No room"] == ["Lunch"]


def test_odd_names_and_short_slugs_still_validate(make, json_validator, xml_schema):
    conference = make.conference("ab", tz="America/New_York", starts_on=date(2027, 3, 13))
    room = make.room(conference, "3")
    track = make.track(conference, "X")
    track.colour = "red"
    make.item(
        conference,
        title="?",
        room=room,
        track=track,
        starts_at=datetime(2027, 3, 14, 14, 0, tzinfo=UTC),  # the day New York springs forward
        speakers=[Speaker(conference_id=conference.id, name="Zoë “Z” O'Brien <3")],
        abstract="Control \x0b characters & <tags>",
    )
    publish_schedule(conference, by=None)
    document = assert_valid_json(
        json_validator, services.export_schedule(conference, "json", LINKS).body
    )
    assert document["schedule"]["conference"]["acronym"] == "ab__"
    assert document["schedule"]["conference"]["tracks"] == [{"name": "X", "slug": "track-x"}]
    event = events_of(document)[0]
    assert event["date"] == "2027-03-14T10:00:00-04:00"
    root = assert_valid_xml(xml_schema, services.export_schedule(conference, "xml", LINKS).body)
    assert root.findtext("day/room/event/abstract") == "Control  characters & <tags>"
