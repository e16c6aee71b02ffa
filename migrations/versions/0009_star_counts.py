"""star counts: how many people starred each session, kept by triggers on stars

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 05:20:00.000000

Schedule pages show each session's number of stars. Counting them on every page read thousands
of index entries per session; ``star_counts`` holds the number instead, changed by the triggers
below in the same transaction as the star (an insert adds one with an upsert, a delete takes
one away), whichever code writes it: the ORM, Core statements, bulk inserts, cascading
deletes. Two people starring one session at once queue on its row (PostgreSQL) or the database
lock (SQLite), so no increment is lost.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ADD = (
    "INSERT INTO star_counts (item_id, stars) VALUES (NEW.item_id, 1) "
    "ON CONFLICT (item_id) DO UPDATE SET stars = star_counts.stars + 1;"
)
TAKE = "UPDATE star_counts SET stars = stars - 1 WHERE item_id = OLD.item_id;"

SQLITE_TRIGGERS = {
    "star_count_insert": f"AFTER INSERT ON stars BEGIN {ADD} END",
    "star_count_delete": f"AFTER DELETE ON stars BEGIN {TAKE} END",
    "star_count_update": (
        f"AFTER UPDATE OF item_id ON stars WHEN OLD.item_id <> NEW.item_id BEGIN {TAKE} {ADD} END"
    ),
}

PG_FUNCTION = f"""CREATE FUNCTION star_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {TAKE}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {ADD}
    END IF;
    RETURN NULL;
END
$$"""
PG_TRIGGER = (
    "CREATE TRIGGER star_count AFTER INSERT OR DELETE OR UPDATE OF item_id ON stars "
    "FOR EACH ROW EXECUTE FUNCTION star_count()"
)


def upgrade():
    op.create_table(
        "star_counts",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["schedule_items.id"],
            name=op.f("fk_star_counts_item_id_schedule_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_star_counts")),
    )
    op.execute(
        "INSERT INTO star_counts (item_id, stars) "
        "SELECT item_id, count(*) FROM stars GROUP BY item_id"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    else:
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER star_count ON stars")
        op.execute("DROP FUNCTION star_count()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("star_counts")
