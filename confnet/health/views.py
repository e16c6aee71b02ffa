"""Probes for load balancers and orchestrators.

- ``/healthz`` (readiness): 200 after a database round trip, 503 without one.
- ``/livez`` (liveness): 200 whenever the process answers, touching nothing else; it is also the
  benchmark's floor, the cheapest request the app can serve.
"""

import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from confnet.extensions import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def check():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.warning("health check: database unreachable", exc_info=True)
        db.session.rollback()
        response = jsonify(status="unavailable", database="unreachable")
        response.status_code = 503
    else:
        response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/livez")
def live():
    response = current_app.response_class(b'{"status":"ok"}\n', mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response
