"""programme stamps: a version of what a conference shows live, renewed by triggers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 20:30:00.000000

``schedule.json`` (and the XML and CSV exports) and the public calendar feeds answer "has it
changed?" on every request. Besides the latest release, they show things that are live: rooms,
tracks, speakers (names, bios) and session links. Reading all of those as text on every
request cost about 1.5 ms on a 1,000-session conference; ``programme_stamps.token`` stands for
them instead (see confnet.models.releases.ProgrammeStamp). The triggers below renew it in the
same transaction as any insert, update or delete of a room, track, speaker, link or speaker
assignment, and the deletion of a session (its links go with it), however it is written: the ORM, Core statements,
imports, cascading deletes. Every conference gets its row when it is created.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

SQLITE_TOKEN = "lower(hex(randomblob(16)))"
PG_TOKEN = "md5(random()::text || clock_timestamp()::text)"
# Tables whose rows name their conference, and those whose rows name a session (the exports show
# each session's links, and its speakers as they are assigned now).
OWN = ("rooms", "tracks", "speakers")
BY_SESSION = ("item_links", "item_speakers")
LINK_CONFERENCE = "(SELECT conference_id FROM schedule_items WHERE id = {row}.item_id)"


def _renew(conference: str, token: str) -> str:
    return f"UPDATE programme_stamps SET token = {token} WHERE conference_id = {conference};"


def _sqlite_triggers() -> dict[str, str]:
    triggers = {
        "programme_stamp_conferences_insert": (
            "AFTER INSERT ON conferences BEGIN INSERT INTO programme_stamps (conference_id, token) "
            f"VALUES (NEW.id, {SQLITE_TOKEN}); END"
        ),
        "programme_stamp_schedule_items_delete": (
            f"AFTER DELETE ON schedule_items BEGIN {_renew('OLD.conference_id', SQLITE_TOKEN)} END"
        ),
    }
    for table in (*OWN, *BY_SESSION):
        new, old = ("NEW.conference_id", "OLD.conference_id")
        if table in BY_SESSION:
            new, old = LINK_CONFERENCE.format(row="NEW"), LINK_CONFERENCE.format(row="OLD")
        triggers |= {
            f"programme_stamp_{table}_insert": (
                f"AFTER INSERT ON {table} BEGIN {_renew(new, SQLITE_TOKEN)} END"
            ),
            f"programme_stamp_{table}_update": (
                f"AFTER UPDATE ON {table} BEGIN {_renew(old, SQLITE_TOKEN)} "
                f"{_renew(new, SQLITE_TOKEN)} END"
            ),
            f"programme_stamp_{table}_delete": (
                f"AFTER DELETE ON {table} BEGIN {_renew(old, SQLITE_TOKEN)} END"
            ),
        }
    return triggers


def _pg_function(name: str, conference: str) -> str:
    """A trigger function renewing the stamp of the row's conference (``conference`` with
    ``{row}`` for OLD or NEW), before and after an update."""
    old, new = conference.format(row="OLD"), conference.format(row="NEW")
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {_renew(old, PG_TOKEN)}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {_renew(new, PG_TOKEN)}
    END IF;
    RETURN NULL;
END
$$"""


PG_FUNCTIONS = [
    _pg_function("programme_stamp_own", "{row}.conference_id"),
    _pg_function("programme_stamp_link", LINK_CONFERENCE),
    f"""CREATE FUNCTION programme_stamp_conference() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO programme_stamps (conference_id, token) VALUES (NEW.id, {PG_TOKEN});
    RETURN NULL;
END
$$""",
]
PG_TRIGGERS = [
    *(
        f"CREATE TRIGGER programme_stamp AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION programme_stamp_own()"
        for table in OWN
    ),
    *(
        f"CREATE TRIGGER programme_stamp AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION programme_stamp_link()"
        for table in BY_SESSION
    ),
    "CREATE TRIGGER programme_stamp AFTER DELETE ON schedule_items "
    "FOR EACH ROW EXECUTE FUNCTION programme_stamp_own()",
    "CREATE TRIGGER programme_stamp AFTER INSERT ON conferences "
    "FOR EACH ROW EXECUTE FUNCTION programme_stamp_conference()",
]


def upgrade():
    op.create_table('programme_stamps',
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_programme_stamps_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conference_id', name=op.f('pk_programme_stamps'))
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    token = PG_TOKEN if postgres else SQLITE_TOKEN
    op.execute(f"INSERT INTO programme_stamps (conference_id, token) SELECT id, {token} FROM conferences")
    if postgres:
        for statement in PG_FUNCTIONS + PG_TRIGGERS:
            op.execute(statement)
    else:
        for name, body in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in (*OWN, *BY_SESSION, "schedule_items", "conferences"):
            op.execute(f"DROP TRIGGER programme_stamp ON {table}")
        for function in ("programme_stamp_own", "programme_stamp_link", "programme_stamp_conference"):
            op.execute(f"DROP FUNCTION {function}()")
    else:
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table('programme_stamps')
