"""The directory, suggestions and a person's profile within a conference."""

from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/c/<slug>/people")
