"""Asking for, answering and brokering introductions; the thread of a connection.

Every page but a connection's is for members of the conference (403 otherwise). A person the
viewer may not see is a 404, exactly like a person who does not exist.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from confnet import permissions
from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.introductions import access, forms, queries, services
from confnet.introductions.notify import Teller
from confnet.introductions.rules import PersonUnavailable, ask_again_on
from confnet.limits import limited
from confnet.mail import get_mailer
from confnet.models import Conference, User
from confnet.notify import Messenger
from confnet.people.views import members_only

bp = Blueprint("introductions", __name__, url_prefix="/c/<slug>/introductions")


def profile_path(conference: Conference, person: User) -> str | None:
    """The person's profile page, when the viewer may see it (and the page exists)."""
    if not permissions.can_see_person(current_user, person, conference):
        return None
    try:
        return url_for("people.show_person", slug=conference.slug, user_id=person.id)
    except BuildError:  # the people pages are not part of this app build
        return None


@bp.context_processor
def introduction_helpers():
    return {
        "profile_path": profile_path,
        "ask_again_on": ask_again_on,
        "may_block": access.may_block,
        "may_report": access.may_report,
    }


def teller_for(conference: Conference) -> Teller:
    """Notifications (of introductions and of meetings) link to this conference's pages."""
    slug = conference.slug
    return Teller(
        Messenger(get_mailer(), request.host_url.rstrip("/")),
        inbox=url_for("introductions.list_introductions", slug=slug),
        connection=lambda intro: url_for(
            "introductions.show_connection", slug=slug, intro_id=intro.id
        ),
        reports=url_for("introductions.list_reports", slug=slug),
        meetings=url_for("meetings.list_meetings", slug=slug),
    )


def to_inbox(conference: Conference):
    return redirect(url_for("introductions.list_introductions", slug=conference.slug))


def submitted(form, act) -> bool:
    """Whether ``form`` came back valid and ``act()`` (one service call) was done and
    committed. A refusal becomes the form's error; a person who can't be approached is a 404."""
    if not form.validate_on_submit():
        return False
    try:
        act()
    except PersonUnavailable:
        abort(404)
    except DomainError as err:
        form.form_errors.append(err.message)
        return False
    db.session.commit()
    permissions.forget_relations()
    return True


def form_page(template: str, form, **context):
    """The form's page: 400 when it came back with errors, so that scripts notice."""
    return render_template(template, form=form, **context), 400 if form.errors else 200


@bp.get("")
@login_required
def list_introductions(slug: str):
    conference = members_only(slug)
    inbox = queries.inbox_of(current_user, conference, utcnow())
    permissions.prime_people(current_user, inbox.people(), conference)
    return render_template("introductions/list.html", conference=conference, inbox=inbox)


def _ask_page(conference: Conference, person: User, form):
    refusal = None
    if not form.errors:
        try:
            services.check_request(current_user, person, conference, utcnow())
        except PersonUnavailable:
            abort(404)
        except DomainError as err:
            refusal = err.message
    context = {"conference": conference, "person": person, "refusal": refusal}
    return form_page("introductions/ask.html", form, **context)


@bp.route("/ask/<int:user_id>", methods=["GET", "POST"])
@limited("introduction")
@login_required
def request_introduction(slug: str, user_id: int):
    conference = members_only(slug)
    person = db.session.get(User, user_id)
    if person is None or not permissions.can_see_person(current_user, person, conference):
        abort(404)
    form = forms.RequestIntroductionForm()

    def ask():
        message, teller = form.message.data, teller_for(conference)
        services.request_introduction(
            current_user, person, conference, message, now=utcnow(), teller=teller
        )

    if submitted(form, ask):
        flash(f"Your request is on its way to {person.name}.", "success")
        return to_inbox(conference)
    return _ask_page(conference, person, form)


@bp.route("/introduce", methods=["GET", "POST"])
@limited("introduction")
@login_required
def introduce_people(slug: str):
    conference = members_only(slug)
    people = queries.introducible_people(current_user, conference)
    form = forms.IntroducePeopleForm()
    form.set_people(people)
    chosen = {person.id: person for person in people}

    def introduce():
        first, second = chosen[form.first.data], chosen[form.second.data]
        note, teller = form.note.data, teller_for(conference)
        services.introduce_people(
            current_user, first, second, conference, note, now=utcnow(), teller=teller
        )
        flash(f"Your note is on its way to {first.name} and {second.name}.", "success")

    if submitted(form, introduce):
        return to_inbox(conference)
    return form_page("introductions/introduce.html", form, conference=conference, people=people)


# The other routes of this blueprint live in their own modules.
from confnet.introductions import (  # noqa: E402, F401
    answer_views,
    block_views,
    connection_views,
    moderate_views,
)
