"""Routes of the interchange area (see the package's services for the rules)."""

from flask import Blueprint

bp = Blueprint("interchange", __name__)
