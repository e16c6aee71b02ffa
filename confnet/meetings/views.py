"""Booking and answering meetings; organizers' meeting points."""

from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/c/<slug>/meetings")
