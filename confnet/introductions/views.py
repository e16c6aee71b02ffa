"""Asking for, answering and brokering introductions; the thread of a connection."""

from flask import Blueprint

bp = Blueprint("introductions", __name__, url_prefix="/c/<slug>/introductions")
