"""Entry point: ``flask --app app run`` and ``gunicorn app:app`` both find ``app`` here."""

from confnet import create_app

app = create_app()
