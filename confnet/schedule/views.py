"""Routes of the schedule area (see the package's services for the rules)."""

from flask import Blueprint

bp = Blueprint("schedule", __name__)
