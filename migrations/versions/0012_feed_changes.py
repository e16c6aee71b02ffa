"""feed changes: a counter on each personal feed, raised by triggers when its owner's part changes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 01:00:00.000000

Calendar apps poll personal feeds all day and most polls find nothing new. Telling so used to
read every input of the feed (stars, seats with waitlist positions, speaking, meetings) on every
poll. Now a poll reads the feed's row, its conferences (with their latest release and programme
stamp) and ``calendar_feeds.changes``, which the triggers below raise in the same transaction
as any insert, update or delete of what only that person's feed shows, however it is written:

- their stars, memberships, speaker links and meetings;
- their name, the name of a person they meet, and the meeting point they meet at.

Workshop places are not counted: a waitlist position moves with other people's places, so the
key reads the person's places themselves (a few rows by index). A trigger raising everyone
behind a place would miss a place taken at the same moment on PostgreSQL, and the sign-up
rush and lottery draws would queue on the feeds' rows. The fan-outs above (a rename reaching
the people one meets) read the rows committed when the rename is written; a meeting or speaker
link made at that moment is counted by its own trigger.

``version_key`` is a digest of those inputs as of the recorded ``version``: while it matches,
the version is current (see confnet.feeds.versions).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# table -> the people whose feeds a row ({r}: OLD or NEW) shows in, as the inside of IN (...).
PEOPLE = {
    "stars": ["{r}.user_id"],
    "memberships": ["{r}.user_id"],
    "item_speakers": ["SELECT user_id FROM speakers WHERE id = {r}.speaker_id"],
    "meetings": ["{r}.host_id, {r}.guest_id"],
    "speakers": ["{r}.user_id"],
    "users": [
        "{r}.id",
        "SELECT guest_id FROM meetings WHERE host_id = {r}.id "
        "UNION ALL SELECT host_id FROM meetings WHERE guest_id = {r}.id"
    ],
    "meeting_points": [
        "SELECT host_id FROM meetings WHERE meeting_point_id = {r}.id "
        "UNION ALL SELECT guest_id FROM meetings WHERE meeting_point_id = {r}.id"
    ],
}
SQLITE_BUMP = "UPDATE calendar_feeds SET changes = changes + 1 WHERE user_id IN ({people});"
# PostgreSQL locks the feeds' rows in one order (by id), so that two transactions raising the
# counters of the same people can't deadlock (SQLite has one writer at a time).
PG_BUMP = (
    "UPDATE calendar_feeds SET changes = changes + 1 WHERE id IN (SELECT id FROM calendar_feeds "
    "WHERE user_id IN ({people}) ORDER BY id FOR UPDATE);"
)


def _bumps(table: str, row: str, bump: str) -> list[str]:
    return [bump.format(people=people.format(r=row)) for people in PEOPLE[table]]


ALL = ("INSERT", "UPDATE", "DELETE")
# table -> (timing, event, condition on both databases or None) for each trigger. A speaker
# or a person matters only by who they are or what they are called; a meeting point is read
# before it goes (its meetings lose it).
EVENTS = {
    **{table: [("AFTER", op_, None) for op_ in ALL] for table in PEOPLE},
    "speakers": [
        ("AFTER", "UPDATE OF user_id", "OLD.user_id IS DISTINCT FROM NEW.user_id"),
        ("AFTER", "DELETE", None),
    ],
    "users": [("AFTER", "UPDATE OF name", "OLD.name IS DISTINCT FROM NEW.name")],
    "meeting_points": [("AFTER", "UPDATE", None), ("BEFORE", "DELETE", None)],
}


def _rows(event: str) -> tuple[str, ...]:
    return {"INSERT": ("NEW",), "DELETE": ("OLD",)}.get(event.split()[0], ("OLD", "NEW"))


def _sqlite_triggers() -> dict[str, str]:
    triggers = {}
    for table, events in EVENTS.items():
        for timing, event, condition in events:
            when = f" WHEN {condition.replace('IS DISTINCT FROM', 'IS NOT')}" if condition else ""
            body = " ".join(
                statement for row in _rows(event) for statement in _bumps(table, row, SQLITE_BUMP)
            )
            name = f"feed_changes_{table}_{event.split()[0].lower()}"
            triggers[name] = f"{timing} {event} ON {table} FOR EACH ROW{when} BEGIN {body} END"
    return triggers


def _pg_function(table: str) -> str:
    old, new = ("\n        ".join(_bumps(table, row, PG_BUMP)) for row in ("OLD", "NEW"))
    return f"""CREATE FUNCTION feed_changes_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {old}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {new}
    END IF;
    RETURN OLD;  -- lets a BEFORE DELETE go ahead; AFTER triggers ignore it
END
$$"""


def _pg_triggers() -> list[str]:
    statements = []
    for table, events in EVENTS.items():
        statements.append(_pg_function(table))
        for timing, event, condition in events:
            when = f" WHEN ({condition})" if condition else ""
            name = f"feed_changes_{event.split()[0].lower()}"
            statements.append(
                f"CREATE TRIGGER {name} {timing} {event} ON {table} FOR EACH ROW{when} "
                f"EXECUTE FUNCTION feed_changes_{table}()"
            )
    return statements


def upgrade():
    with op.batch_alter_table("calendar_feeds") as batch_op:
        batch_op.add_column(sa.Column("changes", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("version_key", sa.String(length=40), server_default="", nullable=False)
        )
    if op.get_bind().dialect.name == "postgresql":
        for statement in _pg_triggers():
            op.execute(statement)
    else:
        for name, body in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, events in EVENTS.items():
            for _timing, event, _condition in events:
                op.execute(f"DROP TRIGGER feed_changes_{event.split()[0].lower()} ON {table}")
            op.execute(f"DROP FUNCTION feed_changes_{table}()")
    else:
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER {name}")
    with op.batch_alter_table("calendar_feeds") as batch_op:
        batch_op.drop_column("version_key")
        batch_op.drop_column("changes")
