"""Organizers run a workshop: settings, roster and waitlist, CSV, door check-in, lottery."""

import csv
import io
from datetime import UTC, datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from confnet import permissions
from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.interchange.csv_format import defuse_formula
from confnet.models import ItemKind, ScheduleItem, Seat, SeatStatus, SignupMode
from confnet.web import get_conference_or_404
from confnet.workshops import forms, organizer, services
from confnet.workshops.views import bp, notifier_for


def _load(slug: str, item_id: int | None = None):
    conference = get_conference_or_404(slug)
    if not permissions.can_edit_programme(current_user, conference):
        abort(403)
    if item_id is None:
        return conference, None
    item = db.session.get(ScheduleItem, item_id)
    if item is None or item.conference_id != conference.id:
        abort(404)
    return conference, item


def _seat(item: ScheduleItem, seat_id: int) -> Seat:
    seat = db.session.get(Seat, seat_id)
    if seat is None or seat.item_id != item.id:
        abort(404)
    return seat


@bp.get("/c/<slug>/manage/workshops")
@login_required
def manage_index(slug: str):
    conference, _ = _load(slug)
    items = db.session.scalars(
        select(ScheduleItem)
        .filter_by(conference_id=conference.id)
        .where((ScheduleItem.signup_required.is_(True)) | (ScheduleItem.kind == ItemKind.WORKSHOP))
        .order_by(ScheduleItem.starts_at)
    ).all()
    counts = services.live_counts([i.id for i in items])
    return render_template(
        "workshops/manage_index.html", conference=conference, items=items, counts=counts
    )


def _local(day, clock, tz) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, clock or datetime.min.time(), tz).astimezone(UTC)


@bp.route("/c/<slug>/manage/workshops/<int:item_id>", methods=["GET", "POST"])
@login_required
def manage(slug: str, item_id: int):
    conference, item = _load(slug, item_id)
    tz = conference.tz
    form = forms.SignupSettingsForm(
        obj=item, mode=item.signup_mode.value, capacity=item.capacity or 20
    )
    if not form.is_submitted():
        for field, moment in (("opens", item.signup_opens_at), ("closes", item.signup_closes_at)):
            if moment:
                getattr(form, f"{field}_on").data = moment.astimezone(tz).date()
                getattr(form, f"{field}_at").data = moment.astimezone(tz).time()
    if form.validate_on_submit():
        try:
            promoted = organizer.update_signup_settings(
                item,
                capacity=form.capacity.data,
                opens_at=_local(form.opens_on.data, form.opens_at.data, tz),
                closes_at=_local(form.closes_on.data, form.closes_at.data, tz),
                waitlist_enabled=form.waitlist_enabled.data,
                mode=SignupMode(form.mode.data),
                now=utcnow(),
                notifier=notifier_for(conference),
            )
        except DomainError as err:
            form.capacity.errors.append(err.message)
        else:
            db.session.commit()
            flash(
                f"Saved. {len(promoted)} moved up from the waitlist." if promoted else "Saved.",
                "success",
            )
            return redirect(url_for("workshops.manage", slug=slug, item_id=item_id))
    taken, waiting = services.live_counts([item.id])[item.id]
    return render_template(
        "workshops/manage.html",
        conference=conference,
        item=item,
        form=form,
        seats=organizer.roster(item),
        taken=taken,
        waiting=waiting,
    )


@bp.post("/c/<slug>/manage/workshops/<int:item_id>/seats/<int:seat_id>/promote")
@login_required
def promote(slug: str, item_id: int, seat_id: int):
    conference, item = _load(slug, item_id)
    seat = _seat(item, seat_id)
    if forms.SeatActionForm().validate_on_submit():
        try:
            organizer.move_from_waitlist(
                item, seat, by=current_user, now=utcnow(), notifier=notifier_for(conference)
            )
        except DomainError as err:
            flash(err.message, "error")
        else:
            db.session.commit()
            flash(f"{seat.user.name} has a seat now.", "success")
    return redirect(url_for("workshops.manage", slug=slug, item_id=item_id))


@bp.post("/c/<slug>/manage/workshops/<int:item_id>/seats/<int:seat_id>/check-in")
@login_required
def check_in(slug: str, item_id: int, seat_id: int):
    conference, item = _load(slug, item_id)
    seat = _seat(item, seat_id)
    if forms.SeatActionForm().validate_on_submit():
        try:
            organizer.set_checked_in(seat, checked_in=seat.checked_in_at is None, now=utcnow())
        except DomainError as err:
            flash(err.message, "error")
        else:
            db.session.commit()
    back = url_for("workshops.door", slug=slug, item_id=item_id, q=request.form.get("q", ""))
    return redirect(back)


@bp.get("/c/<slug>/manage/workshops/<int:item_id>/door")
@login_required
def door(slug: str, item_id: int):
    conference, item = _load(slug, item_id)
    query = request.args.get("q", "").strip().lower()[:100]
    seats = [s for s in organizer.roster(item) if s.status is SeatStatus.CONFIRMED]
    shown = [s for s in seats if query in s.user.name.lower() or query in s.user.email]
    arrived = sum(1 for s in seats if s.checked_in_at)
    return render_template(
        "workshops/door.html",
        conference=conference,
        item=item,
        seats=shown,
        total=len(seats),
        arrived=arrived,
        query=query,
    )


@bp.post("/c/<slug>/manage/workshops/<int:item_id>/draw")
@login_required
def draw(slug: str, item_id: int):
    conference, item = _load(slug, item_id)
    if forms.DrawLotteryForm().validate_on_submit():
        try:
            winners = organizer.draw_lottery(item, now=utcnow(), notifier=notifier_for(conference))
        except DomainError as err:
            flash(err.message, "error")
        else:
            db.session.commit()
            flash(f"Drawn with seed {item.lottery_seed}: {len(winners)} seats given.", "success")
    return redirect(url_for("workshops.manage", slug=slug, item_id=item_id))


@bp.get("/c/<slug>/manage/workshops/<int:item_id>/roster.csv")
@login_required
def roster_csv(slug: str, item_id: int):
    conference, item = _load(slug, item_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["status", "waitlist_place", "name", "email", "signed_up_utc", "checked_in"])
    for seat in organizer.roster(item):
        writer.writerow(
            [
                seat.status.value,
                services.waitlist_position(seat) or "",
                defuse_formula(seat.user.name),
                defuse_formula(seat.user.email),
                seat.created_at.isoformat(timespec="seconds"),
                "yes" if seat.checked_in_at else "",
            ]
        )
    filename = f"{conference.slug}-workshop-{item.id}-roster.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
