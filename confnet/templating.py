"""Jinja filters and globals: time formatting and the permission predicates."""

from flask import Flask

from confnet import permissions, timefmt


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        localtime=timefmt.format_time,
        day=timefmt.format_day,
        tzabbr=timefmt.tz_abbreviation,
    )
    app.jinja_env.globals.update(
        permissions.PREDICATES,
        date_range=timefmt.format_date_range,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
