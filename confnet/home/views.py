"""The start page: your conferences and what is next for you, or a welcome."""

from flask import Blueprint, render_template
from flask_login import current_user

from confnet.conferences import services as conferences
from confnet.database import utcnow
from confnet.home import services

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    now = utcnow()
    if not current_user.is_authenticated:
        return render_template(
            "home/welcome.html", open=conferences.open_conferences(None, now.date())
        )
    mine = conferences.conferences_of(current_user)
    current = [(c, m) for c, m in mine if c.ends_on >= now.date()]
    past = [(c, m) for c, m in mine if c.ends_on < now.date()]
    by_id = {c.id: c for c, _ in mine}
    ids = [c.id for c, _ in current]
    starred = services.upcoming_sessions(ids, now, user_id=current_user.id, limit=6)
    upcoming = starred or services.upcoming_sessions(ids, now, limit=6)
    return render_template(
        "home/index.html",
        current=current,
        past=past,
        now=now,
        from_agenda=bool(starred),
        notifications=services.unread_notifications(current_user.id),
        upcoming=[(item, by_id[item.conference_id]) for item in upcoming],
        open=conferences.open_conferences(current_user, now.date()),
    )
