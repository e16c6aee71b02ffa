"""The programme stamp (``programme_stamps``, migration 0011) moves with every change to what a
conference shows live, whatever writes it, so exports and public feeds that key on it are never
stale; and a change to one conference leaves another's alone."""

from datetime import date

import pytest
from sqlalchemy import delete, insert, update

from confnet.extensions import db
from confnet.models import ItemLink, ProgrammeStamp, Room, ScheduleItem, Speaker, Track
from confnet.models.programme import item_speakers


@pytest.fixture
def two(make):
    mine = make.conference("medconf", starts_on=date(2027, 3, 26), days=2)
    other = make.conference("other", starts_on=date(2027, 3, 26), days=2)
    db.session.commit()
    return mine, other


def stamps(*conferences) -> tuple[str, ...]:
    db.session.commit()
    db.session.expire_all()
    return tuple(db.session.get(ProgrammeStamp, c.id).token for c in conferences)


def test_every_conference_has_a_stamp_of_its_own_from_its_creation(two):
    mine, other = stamps(*two)
    assert len(mine) == 32 and mine != other


@pytest.mark.parametrize("model", [Room, Track, Speaker])
def test_adding_renaming_and_removing_rooms_tracks_and_speakers_move_the_stamp(two, model):
    mine, other = two
    seen = [stamps(mine, other)]
    row = model(conference_id=mine.id, name="Hall A")
    db.session.add(row)
    seen.append(stamps(mine, other))
    row.name = "Hall B"
    seen.append(stamps(mine, other))
    db.session.delete(row)
    seen.append(stamps(mine, other))
    assert len({mine_token for mine_token, _ in seen}) == 4
    assert len({other_token for _, other_token in seen}) == 1


def test_links_move_the_stamp_through_the_orm_core_and_a_deleted_session(make, two):
    mine, other = two
    item = make.item(mine)
    before = stamps(mine, other)
    db.session.add(ItemLink(item_id=item.id, label="Slides", url="https://example.org/s.pdf"))
    added = stamps(mine, other)
    db.session.execute(update(ItemLink).values(label="Slides (PDF)"))
    relabelled = stamps(mine, other)
    db.session.execute(insert(ItemLink).values(item_id=item.id, label="Paper", url="https://x.org"))
    bulk = stamps(mine, other)
    db.session.execute(delete(ScheduleItem).where(ScheduleItem.id == item.id))  # links cascade
    gone = stamps(mine, other)
    assert len({s[0] for s in (before, added, relabelled, bulk, gone)}) == 5
    assert len({s[1] for s in (before, added, relabelled, bulk, gone)}) == 1


def test_assigning_and_unassigning_a_speaker_moves_the_stamp(make, two):
    mine, other = two
    item = make.item(mine)
    speaker = Speaker(conference_id=mine.id, name="Dr. Ada Byron")
    db.session.add(speaker)
    before = stamps(mine, other)
    db.session.execute(insert(item_speakers).values(item_id=item.id, speaker_id=speaker.id))
    assigned = stamps(mine, other)
    db.session.execute(delete(item_speakers))
    unassigned = stamps(mine, other)
    assert len({s[0] for s in (before, assigned, unassigned)}) == 3
    assert len({s[1] for s in (before, assigned, unassigned)}) == 1


def test_a_stamp_read_twice_without_a_change_is_the_same(two):
    assert stamps(*two) == stamps(*two)
