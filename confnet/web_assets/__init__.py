"""Fast on a bad network: static files under content-hashed names kept for a year
(``static_url`` in templates, see ``hashed``) and gzip for text responses (``compression``)."""

from flask import Flask

from confnet.web_assets import compression, hashed
from confnet.web_assets.hashed import static_url

__all__ = ["register", "static_url"]


def register(app: Flask) -> None:
    compression.register(app)
    hashed.register(app)
