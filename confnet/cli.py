"""Shell commands: ``flask --app app create-user|create-conference|seed-demo``,
``import-schedule``, ``export-schedule``, ``backup`` and ``restore`` (confnet.backup)."""

import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask

from confnet.backup import commands as backup_commands
from confnet.database import write_intent
from confnet.errors import DomainError
from confnet.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(create_conference)
    app.cli.add_command(seed_demo)
    app.cli.add_command(import_schedule)
    app.cli.add_command(export_schedule)
    app.cli.add_command(backup_commands.backup)
    app.cli.add_command(backup_commands.restore)


def _commit_or_fail(action):
    """Run ``action`` in one write transaction; a DomainError becomes a clean CLI error."""
    try:
        with write_intent():
            result = action()
            db.session.commit()
    except DomainError as err:
        db.session.rollback()
        raise click.ClickException(err.message) from None
    return result


@click.command("create-user")
@click.argument("email")
@click.option("--name", default="", help="Full name (defaults to the part before @).")
@click.option("--admin", is_flag=True, help="Make the account a site admin.")
def create_user(email: str, name: str, admin: bool) -> None:
    """Create an account; the password is read from standard input (first line)."""
    from confnet.auth.services import create_user as create

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    user = _commit_or_fail(
        lambda: create(email, name or email.split("@")[0], password, site_admin=admin)
    )
    click.echo(f"Created {'site admin ' if admin else ''}{user.email}")


@click.command("create-conference")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--starts", "starts_on", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--ends", "ends_on", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--timezone", required=True, help="IANA name, e.g. Europe/Amsterdam")
@click.option("--venue", default="")
@click.option("--city", default="")
@click.option("--organizer", default=None, help="Email of an existing account to organize it.")
def create_conference(slug, name, starts_on, ends_on, timezone, venue, city, organizer) -> None:
    """Create a conference, optionally with its first organizer."""
    from confnet.auth.services import get_user_by_email
    from confnet.conferences.services import create_conference as create

    def action():
        user = get_user_by_email(organizer) if organizer else None
        if organizer and user is None:
            raise DomainError(f"No account uses {organizer}.")
        return create(
            slug=slug,
            name=name,
            starts_on=date.fromordinal(starts_on.toordinal()),
            ends_on=date.fromordinal(ends_on.toordinal()),
            timezone=timezone,
            venue=venue,
            city=city,
            organizer=user,
        )

    conference = _commit_or_fail(action)
    click.echo(f"Created /c/{conference.slug}/")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if there is data.")
def seed_demo(if_empty: bool) -> None:
    """Fill an empty database with a realistic demo conference and print its logins."""
    from confnet import demo

    def build():
        result = demo.seed_demo()
        demo.publish_demo(result)
        return result

    try:
        result = _commit_or_fail(build)
    except click.ClickException:
        if not if_empty:
            raise
        click.echo("The database already has data, so no demo was added (demo logins: README).")
        return
    click.echo(f"Demo ready: {result.conference.name} at /c/{result.conference.slug}/")
    for login in result.logins:
        click.echo(f"  {login.role:<11} {login.email:<32} password: {login.password}")


def _conference(slug: str):
    from sqlalchemy import select

    from confnet.models import Conference

    conference = db.session.scalar(select(Conference).filter_by(slug=slug))
    if conference is None:
        raise DomainError(f"No conference has the short name {slug!r}.")
    return conference


@click.command("import-schedule")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "xml"]),
    default=None,
    help="csv, json (frab schedule.json) or xml (frab schedule.xml); default: the extension.",
)
def import_schedule(slug: str, file: Path, fmt: str | None) -> None:
    """Import sessions into the DRAFT of conference SLUG; nothing changes if any row is wrong."""
    from confnet.interchange.rows import ImportFailed
    from confnet.interchange.services import import_schedule as run_import

    data = file.read_bytes()

    def action():
        try:
            return run_import(_conference(slug), data, filename=file.name, fmt=fmt)
        except ImportFailed as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            count = len(err.problems)
            raise DomainError(
                f"Nothing was imported: the file has {count} problem{'s' * (count != 1)} "
                "(listed above)."
            ) from None

    summary = _commit_or_fail(action)
    click.echo(summary.message())


@click.command("export-schedule")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["json", "xml", "csv"]), required=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@click.option(
    "--base-url",
    default=None,
    help="Site address for the links in the file, e.g. https://confnet.example.org "
    "(default: SERVER_NAME, else http://localhost).",
)
def export_schedule(slug: str, fmt: str, output: Path | None, base_url: str | None) -> None:
    """Write the PUBLISHED schedule of conference SLUG as frab JSON, frab XML or CSV."""
    from flask import current_app

    from confnet.interchange.services import export_schedule as run_export
    from confnet.interchange.urls import export_links

    if base_url and not base_url.startswith(("http://", "https://")):
        raise click.ClickException("--base-url must start with http:// or https://.")
    try:
        conference = _conference(slug)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    with current_app.test_request_context():
        export = run_export(conference, fmt, export_links(conference, fmt, site=base_url))
    if output is None:
        click.echo(export.body, nl=False)
    else:
        output.write_bytes(export.body)
        click.echo(f"Wrote {len(export.body)} bytes to {output}", err=True)
