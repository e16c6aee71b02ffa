"""Booking and answering meetings; organizers' meeting points (``point_views``).

Only the two people of a meeting see it: for anybody else every meeting URL is a 404, and so
are the answers (accept, decline, another time) for the one who isn't asked.
"""

from datetime import timedelta
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.introductions.views import teller_for
from confnet.meetings import answers, forms, queries, services
from confnet.meetings.busy import suggest_starts
from confnet.meetings.points import meeting_points_of
from confnet.meetings.slots import LENGTHS
from confnet.models import Conference, Introduction, Meeting, MeetingStatus, User
from confnet.people.views import members_only
from confnet.permissions import can_book_meeting, can_message
from confnet.schedule.days import conference_days
from confnet.web import get_conference_or_404

bp = Blueprint("meetings", __name__, url_prefix="/c/<slug>/meetings")


@bp.app_context_processor
def meeting_helpers():
    """``connection_meetings(introduction, conference)`` for the connection page's partial."""

    def connection_meetings(introduction: Introduction, conference: Conference):
        if not current_user.is_authenticated:
            return queries.ConnectionMeetings([], False)
        return queries.ConnectionMeetings(
            queries.meetings_of_connection(introduction, current_user.id, conference, utcnow()),
            can_book_meeting(current_user, introduction, conference),
        )

    return {"connection_meetings": connection_meetings, "MeetingStatus": MeetingStatus}


def _mine(slug: str, meeting_id: int) -> tuple[Conference, Meeting]:
    """The conference and one of ``current_user``'s meetings in it, else 404."""
    conference = get_conference_or_404(slug)
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.conference_id != conference.id:
        abort(404)
    if current_user.id not in (meeting.host_id, meeting.guest_id):
        abort(404)
    return conference, meeting


def _asked(slug: str, meeting_id: int) -> tuple[Conference, Meeting]:
    """A meeting waiting for ``current_user``'s answer, between people still connected."""
    conference, meeting = _mine(slug, meeting_id)
    introduction = db.session.get(Introduction, meeting.introduction_id)
    if meeting.awaiting_id != current_user.id or meeting.status is not MeetingStatus.PROPOSED:
        abort(404)
    if not can_book_meeting(current_user, introduction, conference):
        abort(404)
    return conference, meeting


@bp.get("")
@login_required
def list_meetings(slug: str):
    conference = members_only(slug)
    lists = queries.meetings_of(current_user.id, conference, utcnow())
    links = _connection_links(lists, conference)
    return render_template("meetings/list.html", conference=conference, lists=lists, links=links)


def _connection_links(lists: queries.MeetingLists, conference: Conference) -> dict[int, str]:
    """For each connection of the listed meetings still open: what "With …" and "Book
    again" link to (``connected``: the connection page; ``bookable``: booking)."""
    user = current_user._get_current_object()
    ids = {m.introduction_id for m in lists.all}
    found = db.session.scalars(select(Introduction).where(Introduction.id.in_(ids))) if ids else []
    links = {}
    for intro in found:
        if can_message(user, intro):
            links[intro.id] = "bookable" if can_book_meeting(user, intro, conference) else "open"
    return links


def _chosen_minutes(default: int = forms.DEFAULT_MINUTES) -> int:
    """The length the proposed times are for (``?minutes=``), else ``default``."""
    value = forms.parse_minutes(request.args.get("minutes"))
    return value if value in LENGTHS else default


def _time_page(conference, other: User, form, template_args: dict, current=None, status=200):
    """The booking page (also the counter-proposal page, ``current`` being the meeting whose
    time is answered): proposed times for the form's length, and the form."""
    tz = conference.tz
    minutes = forms.parse_minutes(form.minutes.data) or forms.DEFAULT_MINUTES
    form.minutes.data = str(minutes)
    people = [current_user.id, other.id]
    exclude = current.id if current else None
    starts = suggest_starts(conference, people, minutes, utcnow(), exclude=exclude)
    spans = [(start, start + timedelta(minutes=minutes)) for start in starts]
    if current is not None:  # the time already proposed is no answer to it
        spans = [span for span in spans if span != (current.starts_at, current.ends_at)]
    html = render_template(
        "meetings/book.html",
        conference=conference,
        other=other,
        form=form,
        minutes=minutes,
        slots=[(start, end, forms.slot_value_at(start, tz)) for start, end in spans],
        **template_args,
    )
    return html, status


def _meeting_form(conference: Conference) -> forms.MeetingForm:
    form = forms.MeetingForm()
    form.set_options(conference_days(conference), meeting_points_of(conference))
    return form


def _refused(form, err: DomainError) -> None:
    """Show ``err`` next to its field; a tapped time's refusal goes at the top."""
    field = getattr(err, "field", None)
    if field:
        getattr(form, field).errors.append(err.message)
    elif form.slot.data:
        form.form_errors.append(err.message)
    else:
        form.clock.errors.append(err.message)


def _submit_time(conference, other: User, form, act, template_args: dict, current=None):
    """A valid POST runs ``act(meeting_request, now=, teller=)`` (book, or propose another
    time), commits and goes to the meetings page; otherwise (or when refused) the page again,
    with the reason. "Show free times" (``show``) only redraws the page, keeping the input."""
    if "show" in request.form:
        return _time_page(conference, other, form, template_args, current)
    if form.validate_on_submit():
        try:
            meeting = act(form.request(), now=utcnow(), teller=teller_for(conference))
        except DomainError as err:
            db.session.rollback()
            _refused(form, err)
        else:
            db.session.commit()
            flash(f"Sent to {other.name}: {services.when(meeting, conference)}.", "success")
            anchor = f"m{meeting.id}"
            return redirect(url_for("meetings.list_meetings", slug=conference.slug, _anchor=anchor))
    status = 400 if form.errors or form.form_errors else 200
    return _time_page(conference, other, form, template_args, current, status)


@bp.route("/book/<int:intro_id>", methods=["GET", "POST"])
@login_required
def book_meeting(slug: str, intro_id: int):
    conference = get_conference_or_404(slug)
    introduction = db.session.get(Introduction, intro_id)
    if introduction is None or not can_book_meeting(current_user, introduction, conference):
        abort(404)
    other = db.session.get(User, introduction.other_id(current_user.id))
    form = _meeting_form(conference)
    pending = queries.open_proposals(introduction, current_user.id, conference, utcnow())
    page = {"introduction": introduction, "pending": pending}
    if request.method == "GET":
        form.minutes.data = str(_chosen_minutes())
        return _time_page(conference, other, form, page)
    book = partial(services.book_meeting, introduction, current_user, conference)
    return _submit_time(conference, other, form, book, page)


@bp.route("/<int:meeting_id>/propose", methods=["GET", "POST"])
@login_required
def propose_time(slug: str, meeting_id: int):
    conference, meeting = _asked(slug, meeting_id)
    other = db.session.get(User, meeting.other_id(current_user.id))
    form = _meeting_form(conference)
    if request.method == "GET":
        form.fill_from(meeting, conference.tz)
        form.minutes.data = str(_chosen_minutes(int(form.minutes.data)))
        return _time_page(conference, other, form, {"meeting": meeting}, current=meeting)
    propose = partial(services.propose_time, meeting, current_user, conference)
    return _submit_time(conference, other, form, propose, {"meeting": meeting}, meeting)


def _answer(slug: str, meeting_id: int, load, act, done: str):
    """Accept, decline or cancel: one POST, then back to the meetings page."""
    conference, meeting = load(slug, meeting_id)
    if not forms.AnswerForm().validate_on_submit():
        abort(400)
    try:
        act(meeting, current_user, conference, now=utcnow(), teller=teller_for(conference))
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("meetings.list_meetings", slug=slug, _anchor=f"m{meeting_id}"))


@bp.post("/<int:meeting_id>/accept")
@login_required
def accept_meeting(slug: str, meeting_id: int):
    done = "Accepted. The meeting is in both your agendas."
    return _answer(slug, meeting_id, _asked, answers.accept_meeting, done)


@bp.post("/<int:meeting_id>/decline")
@login_required
def decline_meeting(slug: str, meeting_id: int):
    done = "You said no. They're told that time isn't possible."
    return _answer(slug, meeting_id, _asked, answers.decline_meeting, done)


@bp.post("/<int:meeting_id>/cancel")
@login_required
def cancel_meeting(slug: str, meeting_id: int):
    _, meeting = _mine(slug, meeting_id)
    proposal = meeting.status is MeetingStatus.PROPOSED
    done = "Proposal withdrawn." if proposal else "The meeting is cancelled."
    return _answer(slug, meeting_id, _mine, answers.cancel_meeting, done)


from confnet.meetings import point_views  # noqa: E402, F401  (registers the organizer routes)
