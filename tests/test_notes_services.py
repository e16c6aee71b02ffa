"""Shared and private notes without HTTP: revisions, conflicts, moderation, size cap, search."""

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from confnet.database import utcnow
from confnet.extensions import db
from confnet.models import (
    ItemKind,
    ItemLink,
    NoteRevision,
    PrivateNote,
    PublishedItem,
    Role,
    Seat,
    SeatStatus,
    SharedNote,
    Star,
)
from confnet.notes import export, knowledge, private, services
from confnet.notes.diffing import line_diff
from confnet.releases.services import publish_schedule

T0 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)


@pytest.fixture
def setup(make):
    conference = make.conference("notes", name="Notes Conf")
    talk = make.item(conference, title="Heart failure in 2027", starts_at=T0, abstract="Diuretics.")
    other = make.item(conference, title="Sepsis bundles", starts_at=T0 + timedelta(hours=2))
    ada, bob = make.user(name="Ada Byron"), make.user(name="Bob Stone")
    make.member(ada, conference)
    make.member(bob, conference)
    publish_schedule(conference, by=None)
    published = db.session.get(PublishedItem, talk.id), db.session.get(PublishedItem, other.id)
    return conference, *published, ada, bob


def save(item, user, text, base):
    return services.save_shared_note(item, user, text, base=base, now=utcnow())


def test_first_save_creates_the_note_and_every_save_is_a_numbered_revision(setup):
    conference, talk, _, ada, bob = setup
    assert services.current_note(talk.item_id).number == 0
    first = save(talk, ada, "# Key points\r\n\r\n- loop diuretics", 0)
    second = save(talk, bob, "# Key points\n\n- loop diuretics\n- SGLT2", 1)
    assert (first.number, first.author_id) == (1, ada.id)
    assert (second.number, second.author_id) == (2, bob.id)
    current = services.current_note(talk.item_id)
    assert current.body == "# Key points\n\n- loop diuretics\n- SGLT2"  # CRLF normalised
    assert current.author_name == "Bob Stone"
    assert services.revision_of(talk.item_id, 1).body == "# Key points\n\n- loop diuretics"
    assert [r.revision.number for r in services.history_of(talk.item_id)] == [2, 1]
    assert services.contributors_of(talk.item_id) == (["Ada Byron", "Bob Stone"], 2)


def test_saving_the_same_text_again_adds_no_revision(setup):
    _, talk, _, ada, _ = setup
    save(talk, ada, "same", 0)
    assert save(talk, ada, "same", 1) is None
    assert save(talk, ada, "same", 0) is None  # stale, but it would change nothing
    assert services.current_note(talk.item_id).number == 1


def test_a_stale_save_is_refused_with_both_texts_and_nothing_is_lost(setup):
    _, talk, _, ada, bob = setup
    save(talk, ada, "Ada's line", 0)
    with pytest.raises(services.EditConflict) as caught:
        save(talk, bob, "Bob's line", 0)  # Bob opened the editor before Ada saved
    assert caught.value.status == 409
    assert caught.value.current.body == "Ada's line" and caught.value.current.number == 1
    assert caught.value.submitted == "Bob's line"
    merged = save(talk, bob, "Ada's line\nBob's line", caught.value.current.number)
    assert merged.number == 2
    with pytest.raises(services.EditConflict):
        save(talk, ada, "forged", 99)  # a base from nowhere is no better than a stale one


def test_the_database_refuses_a_stale_revision_even_past_the_python_check(setup):
    _, talk, _, ada, _ = setup
    save(talk, ada, "one", 0)
    note = db.session.scalar(select(SharedNote).filter_by(item_id=talk.item_id))
    with pytest.raises(services._SaveLost):  # the conditional UPDATE matches no row
        services._append_revision(note, 0, "stale", ada, utcnow())
    assert services.current_note(talk.item_id).body == "one"
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(insert(NoteRevision).values(note_id=note.id, number=1, body="dup"))


def test_size_cap_and_cancelled_sessions(setup, make):
    conference, talk, other, ada, _ = setup
    with pytest.raises(services.NoteTooLong, match="at most 100 KB"):
        save(talk, ada, "é" * 50_001, 0)  # 100,002 bytes of UTF-8
    assert save(talk, ada, "x" * services.MAX_NOTE_BYTES, 0).number == 1
    item = db.session.get(PublishedItem, other.item_id)
    item.cancelled = True
    with pytest.raises(services.NoteRefused, match="cancelled"):
        save(item, ada, "text", 0)
    with pytest.raises(services.NoteRefused, match="cancelled"):
        private.save_private_note(ada, conference, item, "mine", version=0, now=utcnow())
    assert db.session.scalar(select(func.count()).select_from(SharedNote)) == 1


def test_restore_makes_a_new_revision_and_hiding_keeps_the_text(setup, make):
    conference, talk, _, ada, bob = setup
    organizer = make.user(name="Olga Organizer")
    make.member(organizer, conference, Role.ORGANIZER)
    save(talk, ada, "good notes", 0)
    save(talk, bob, "good notes\nSPAM SPAM", 1)
    restored = services.restore_revision(talk, 1, by=organizer, now=utcnow())
    assert (restored.number, restored.restored_from, restored.body) == (3, 1, "good notes")
    with pytest.raises(services.NoteRefused, match="already the current"):
        services.restore_revision(talk, 3, by=organizer, now=utcnow())

    assert services.hide_revision(talk, 2, by=organizer, now=utcnow()) is None  # not current
    hidden = services.revision_of(talk.item_id, 2)
    assert hidden.hidden_at is not None and hidden.hidden_by_id == organizer.id
    assert hidden.body == "good notes\nSPAM SPAM"  # kept for audit
    with pytest.raises(services.NoteRefused, match="hidden"):
        services.restore_revision(talk, 2, by=organizer, now=utcnow())
    assert services.contributors_of(talk.item_id)[0] == ["Ada Byron", "Olga Organizer"]


def test_hiding_the_current_revision_brings_back_the_last_visible_text(setup, make):
    conference, talk, _, ada, bob = setup
    organizer = make.user()
    make.member(organizer, conference, Role.ORGANIZER)
    save(talk, ada, "fine", 0)
    save(talk, bob, "abuse", 1)
    save(talk, bob, "more abuse", 2)
    services.hide_revision(talk, 2, by=organizer, now=utcnow())
    reverted = services.hide_revision(talk, 3, by=organizer, now=utcnow())
    assert (reverted.number, reverted.body, reverted.restored_from) == (4, "fine", 1)
    assert services.current_note(talk.item_id).body == "fine"
    assert services.hide_revision(talk, 3, by=organizer, now=utcnow()) is None  # twice: no-op


def test_private_notes_per_session_and_per_conference_belong_to_their_author(setup):
    conference, talk, other, ada, bob = setup
    now = utcnow()
    assert private.save_private_note(ada, conference, talk, "ada on talk", version=0, now=now)
    assert private.save_private_note(ada, conference, None, "ada free", version=0, now=now)
    assert private.save_private_note(bob, conference, talk, "bob on talk", version=0, now=now)
    assert private.private_note(ada, conference, talk.item_id).body == "ada on talk"
    assert private.private_note(ada, conference, None).body == "ada free"
    assert private.private_note(bob, conference, None) is None
    assert not private.save_private_note(ada, conference, talk, "ada on talk", version=1, now=now)
    with pytest.raises(private.PrivateConflict) as caught:
        private.save_private_note(ada, conference, talk, "second tab", version=0, now=now)
    assert caught.value.note.body == "ada on talk"
    mine = private.private_notes_of(ada, conference)
    assert [(m.item.item_id if m.item else None, m.note.body) for m in mine] == [
        (None, "ada free"),
        (talk.item_id, "ada on talk"),
    ]


def test_one_free_note_per_person_and_conference_even_with_null_item(setup):
    conference, _, _, ada, _ = setup
    private.save_private_note(ada, conference, None, "first", version=0, now=utcnow())
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(PrivateNote(user_id=ada.id, conference_id=conference.id, body="again"))
    assert db.session.scalar(select(func.count()).select_from(PrivateNote)) == 1


def test_knowledge_page_searches_notes_and_puts_attended_sessions_first(setup, make):
    conference, talk, other, ada, bob = setup
    make.item(conference, title="Coffee", kind=ItemKind.BREAK, starts_at=T0 + timedelta(hours=1))
    publish_schedule(conference, by=None)
    save(other, bob, "Lactate above 4 mmol/L means **shock**.", 0)
    private.save_private_note(bob, conference, talk, "my secret word", version=0, now=utcnow())
    db.session.add(Star(user_id=ada.id, item_id=other.item_id))
    db.session.add(ItemLink(item_id=other.item_id, label="Slides", url="https://x.org/s.pdf"))
    found = knowledge.knowledge_of(conference, ada)
    assert [e.item.title for e in found.attended] == ["Sepsis bundles"]
    assert found.total == 2 and found.with_notes == 1  # the break is left out
    sepsis = found.attended[0]
    assert sepsis.excerpt == "Lactate above 4 mmol/L means shock." and sepsis.revisions == 1
    assert [link.label for link in sepsis.links] == ["Slides"]
    assert [e.item.title for e in knowledge.knowledge_of(conference, ada, "LACTATE").attended] == [
        "Sepsis bundles"
    ]
    assert knowledge.knowledge_of(conference, ada, "diuretics").total == 1  # abstract
    assert knowledge.knowledge_of(conference, ada, "secret").total == 0  # Bob's, not Ada's
    assert knowledge.knowledge_of(conference, bob, "secret").total == 1  # his own
    assert knowledge.knowledge_of(conference, ada, "100%_").total == 0  # wildcards are literal


def test_checked_in_workshops_count_as_attended(setup, make):
    conference, talk, _, ada, _ = setup
    db.session.add(
        Seat(item_id=talk.item_id, user_id=ada.id, status=SeatStatus.CONFIRMED, checked_in_at=T0)
    )
    assert knowledge.attended_ids(ada, conference) == {talk.item_id}


def read_zip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_archives_hold_your_notes_and_never_anyone_elses_private_ones(setup):
    conference, talk, other, ada, bob = setup
    now = utcnow()
    save(talk, ada, "Shared on heart failure", 0)
    save(other, bob, "Shared on sepsis", 0)
    private.save_private_note(ada, conference, talk, "Ada private", version=0, now=now)
    private.save_private_note(ada, conference, None, "Ada overall", version=0, now=now)
    private.save_private_note(bob, conference, other, "Bob private", version=0, now=now)
    link = lambda item: f"https://confnet.test/s/{item.item_id}"  # noqa: E731

    mine = read_zip(export.my_notes_archive(ada, conference, link=link, now=now))
    assert set(mine) == {
        "README.md",
        "conference-note.md",
        f"sessions/2027-03-26-0900-heart-failure-in-2027-{talk.item_id}.md",
    }
    session = mine[f"sessions/2027-03-26-0900-heart-failure-in-2027-{talk.item_id}.md"]
    assert "Ada private" in session and "Shared on heart failure" in session
    assert "Ada overall" in mine["conference-note.md"]
    assert "Bob private" not in "".join(mine.values())

    everything = read_zip(export.shared_notes_archive(conference, link=link, now=now))
    text = "".join(everything.values())
    assert "Shared on heart failure" in text and "Shared on sepsis" in text
    assert "private" not in text.lower() and "Ada overall" not in text


def test_line_diff_marks_added_and_removed_lines():
    diff = line_diff("a\nb\nc", "a\nB\nc\nd")
    assert [(line.kind, line.text) for line in diff.lines] == [
        ("same", "a"),
        ("del", "b"),
        ("add", "B"),
        ("same", "c"),
        ("add", "d"),
    ]
    assert (diff.added, diff.removed) == (2, 1)
    assert line_diff("same", "same").empty


def test_history_comes_in_pages_newest_first(setup):
    _, talk, _, ada, _ = setup
    for number in range(services.HISTORY_PAGE + 5):
        save(talk, ada, f"text {number}", number)
    first = services.history_of(talk.item_id)
    assert len(first) == services.HISTORY_PAGE and first[0].revision.number == 55
    assert first[0].author_name == ada.name and first[0].size == len("text 54")
    older = services.history_of(talk.item_id, before=first[-1].revision.number)
    assert [row.revision.number for row in older] == [5, 4, 3, 2, 1]
