"""The organizers' audit log page of a conference."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from confnet import permissions
from confnet.audit import services
from confnet.web import get_conference_or_404

bp = Blueprint("audit", __name__)
MAX_ID = 2**31 - 1


@bp.get("/c/<slug>/manage/audit-log")
@login_required
def audit_log(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_read_audit_log(current_user, conference):
        abort(403)
    before = request.args.get("before", type=int)
    if before is not None and not 0 < before <= MAX_ID:
        abort(404)  # not a page of this log (and never out of the database's integer range)
    page = services.log_page(conference, before=before)
    return render_template("audit/log.html", conference=conference, page=page, before=before)
