"""The directory, suggestions and a person's profile within a conference."""

import sys

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from confnet import permissions
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.introductions.access import may_approach
from confnet.introductions.messages import contact_of
from confnet.introductions.rules import live_between
from confnet.models import Conference, IntroductionStatus, User, Visibility
from confnet.pagecache import page_cache
from confnet.people import directory, forms, services
from confnet.people.suggestions import suggest_people as suggestions_for
from confnet.web import get_conference_or_404

bp = Blueprint("people", __name__, url_prefix="/c/<slug>/people")


@bp.context_processor
def _helpers():
    return {"DismissForm": forms.DismissForm, "role_line": directory.role_line}


def members_only(slug: str) -> Conference:
    """The conference, if the viewer may browse its people (its members), else 403; for the
    people, introductions and meetings pages alike."""
    conference = get_conference_or_404(slug)
    if not permissions.can_browse_people(current_user, conference):
        abort(403)
    return conference


@bp.get("")
@login_required
def list_people(slug: str):
    conference = members_only(slug)
    form = forms.DirectoryForm(request.args)
    filters, ignored, page = form.filters()
    listing = directory.search_directory(current_user, conference, filters, page)
    return render_template(
        "people/list.html",
        conference=conference,
        filters_form=_filters_form(conference, form, filters),
        filters=filters,
        ignored=ignored,
        listing=listing,
        membership=permissions.membership_of(current_user, conference),
    )


def _filters_form(conference: Conference, form: forms.DirectoryForm, filters) -> Markup:
    """The search and filter form, rendered once per set of values (its choices are fixed)."""
    key = ("people-filters", request.script_root, conference.slug)
    key += tuple((field.name, field.data) for field in form if field.name != "page")
    html = page_cache().get(key)
    if html is None:
        html = render_template(
            "people/_filters.html", conference=conference, form=form, filters=filters
        )
        page_cache().put(key, html, sys.getsizeof(html))
    return Markup(html)  # noqa: S704 (rendered by a template)


@bp.get("/suggestions")
@login_required
def suggest_people(slug: str):
    conference = members_only(slug)
    return render_template(
        "people/suggestions.html",
        conference=conference,
        suggestions=suggestions_for(current_user, conference),
        membership=permissions.membership_of(current_user, conference),
    )


def _visible_person_or_404(conference, user_id: int) -> User:
    """404, not 403: hidden and blocked people look exactly like people who don't exist."""
    person = db.session.get(User, user_id)
    if person is None or not permissions.can_see_person(current_user, person, conference):
        abort(404)
    return person


def _relation(person: User, conference) -> dict:
    """The viewer's connection with ``person`` (and its contact details), or their pending
    introduction (asked, or waiting for the viewer's answer), or whether the viewer may ask for
    an introduction: organizers see hidden profiles, but may not approach them."""
    if permissions.is_connected(current_user, person):
        connection = permissions.connection_between(current_user, person)
        contact = contact_of(person)
        return {"connection": connection, "contact": contact, "can_ask": False, "pending": None}
    live = live_between(current_user.id, person.id)  # one query, for the viewer's own pair
    pending = live if live is not None and live.status is IntroductionStatus.PENDING else None
    can_ask = pending is None and may_approach(current_user, person, conference)
    return {"connection": None, "contact": None, "can_ask": can_ask, "pending": pending}


@bp.get("/<int:user_id>")
@login_required
def show_person(slug: str, user_id: int):
    conference = get_conference_or_404(slug)
    person = _visible_person_or_404(conference, user_id)
    page = services.person_page(current_user, person, conference)
    if page is None:
        abort(404)
    return render_template(
        "people/show.html",
        conference=conference,
        person=person,
        page=page,
        **_relation(person, conference),
    )


@bp.post("/<int:user_id>/dismiss")
@login_required
def dismiss_suggestion(slug: str, user_id: int):
    conference = members_only(slug)
    person = _visible_person_or_404(conference, user_id)
    if forms.DismissForm().validate_on_submit():
        try:
            services.dismiss_suggestion(current_user, conference, person)
        except DomainError as err:
            flash(err.message, "error")
        else:
            db.session.commit()
            flash(f"{person.name} won't be suggested to you again.", "info")
    return redirect(url_for("people.suggest_people", slug=conference.slug))


@bp.route("/visibility", methods=["GET", "POST"])
@login_required
def edit_visibility(slug: str):
    conference = members_only(slug)
    membership = permissions.membership_of(current_user, conference)
    form = forms.VisibilityForm(visibility=membership.visibility.value)
    if form.validate_on_submit():
        services.set_visibility(membership, Visibility(form.visibility.data))
        db.session.commit()
        flash(f"Saved. {forms.VISIBILITY_HINTS[membership.visibility]}", "success")
        return redirect(url_for("people.list_people", slug=conference.slug))
    return render_template(
        "people/visibility.html",
        conference=conference,
        form=form,
        membership=membership,
        hints=forms.VISIBILITY_HINTS,
    )
