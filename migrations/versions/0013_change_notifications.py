"""change notifications: PostgreSQL tells listening workers when what a feed's key reads changes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 07:00:00.000000

Each worker keeps the answers to personal feed polls until the database changes
(``confnet.watch``). On PostgreSQL it learns of changes from notifications on the channel
``confnet_changes``, sent by the statement triggers below when a transaction that wrote one of
the tables a feed's key reads commits (the feed's row, workshop places, memberships, the
conferences, their releases and programme stamps). The payload names the table, for whoever
reads them by hand; a transaction sends each table's notification once. SQLite needs nothing:
the workers watch ``PRAGMA data_version`` there.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# What confnet.feeds.versions' key reads (and the feed's row itself: its salt, its version).
TABLES = (
    "calendar_feeds",
    "seats",
    "memberships",
    "conferences",
    "releases",
    "programme_stamps",
)
FUNCTION = """CREATE FUNCTION confnet_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('confnet_changes', TG_TABLE_NAME);
    RETURN NULL;
END
$$"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER confnet_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION confnet_notify_change()"
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER confnet_notify_change ON {table}")
    op.execute("DROP FUNCTION confnet_notify_change()")
