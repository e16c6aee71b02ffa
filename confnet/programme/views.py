"""Routes of the programme area (see the package's services for the rules)."""

from flask import Blueprint

bp = Blueprint("programme", __name__)
