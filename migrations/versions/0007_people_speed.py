"""people stamps: a version of each conference's people, renewed by triggers; stars by item

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 10:00:00.000000

The directory and the suggestions keep each conference's people in memory, keyed by
``people_stamps.token`` (see confnet/people/roster.py). The triggers below renew the token in
the same transaction as any change to what the roster reads, however it is written (the ORM,
Core statements, bulk inserts, cascading deletes): memberships (joining, leaving, visibility,
hiding), users' names, profiles (the columns listed here), offers and seeks. A roster that
reads another column needs a migration that adds it to ``PROFILE_COLUMNS``.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

PROFILE_COLUMNS = (
    "user_id", "specialty", "sub_specialty", "country", "interests", "languages",
    "profession", "career_stage", "organization", "city", "search_text",
)
MEMBERSHIP_COLUMNS = ("conference_id", "user_id", "visibility", "profile_hidden_at")
PERSON_TABLES = {"profiles": PROFILE_COLUMNS, "profile_offers": None, "profile_seeks": None}

SQLITE_TOKEN = "lower(hex(randomblob(16)))"
PG_TOKEN = "md5(random()::text || clock_timestamp()::text)"


def _renew_sqlite(users: str) -> str:
    return (
        f"UPDATE people_stamps SET token = {SQLITE_TOKEN} WHERE conference_id IN "
        f"(SELECT conference_id FROM memberships WHERE user_id IN ({users}));"
    )


def _upsert(conference: str, token: str) -> str:
    return (
        f"INSERT INTO people_stamps (conference_id, token) VALUES ({conference}, {token}) "
        "ON CONFLICT (conference_id) DO UPDATE SET token = excluded.token;"
    )


def _sqlite_triggers() -> list[str]:
    member_columns = ", ".join(MEMBERSHIP_COLUMNS)
    renew_old = f"UPDATE people_stamps SET token = {SQLITE_TOKEN} WHERE conference_id = OLD.conference_id;"
    triggers = [
        f"CREATE TRIGGER people_stamp_memberships_insert AFTER INSERT ON memberships BEGIN "
        f"{_upsert('NEW.conference_id', SQLITE_TOKEN)} END",
        f"CREATE TRIGGER people_stamp_memberships_update AFTER UPDATE OF {member_columns} "
        f"ON memberships BEGIN {renew_old} {_upsert('NEW.conference_id', SQLITE_TOKEN)} END",
        f"CREATE TRIGGER people_stamp_memberships_delete AFTER DELETE ON memberships BEGIN "
        f"{renew_old} END",
        "CREATE TRIGGER people_stamp_users_update AFTER UPDATE OF name ON users "
        f"WHEN OLD.name IS NOT NEW.name BEGIN {_renew_sqlite('NEW.id')} END",
    ]
    for table, columns in PERSON_TABLES.items():
        of = f" OF {', '.join(columns)}" if columns else ""
        triggers += [
            f"CREATE TRIGGER people_stamp_{table}_insert AFTER INSERT ON {table} BEGIN "
            f"{_renew_sqlite('NEW.user_id')} END",
            f"CREATE TRIGGER people_stamp_{table}_update AFTER UPDATE{of} ON {table} BEGIN "
            f"{_renew_sqlite('OLD.user_id, NEW.user_id')} END",
            f"CREATE TRIGGER people_stamp_{table}_delete AFTER DELETE ON {table} BEGIN "
            f"{_renew_sqlite('OLD.user_id')} END",
        ]
    return triggers


def _sqlite_trigger_names() -> list[str]:
    names = [f"people_stamp_memberships_{op_}" for op_ in ("insert", "update", "delete")]
    names.append("people_stamp_users_update")
    for table in PERSON_TABLES:
        names += [f"people_stamp_{table}_{op_}" for op_ in ("insert", "update", "delete")]
    return names


PG_FUNCTIONS = [
    # One conference after the other, in order: two people saving their profiles at once wait
    # for each other's stamps in the same order, never each for the other's.
    f"""CREATE FUNCTION people_stamp_renew(person integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    conference integer;
BEGIN
    FOR conference IN
        SELECT conference_id FROM memberships WHERE user_id = person ORDER BY conference_id
    LOOP
        UPDATE people_stamps SET token = {PG_TOKEN} WHERE conference_id = conference;
    END LOOP;
END
$$""",
    f"""CREATE FUNCTION people_stamp_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE people_stamps SET token = {PG_TOKEN} WHERE conference_id = OLD.conference_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {_upsert('NEW.conference_id', PG_TOKEN)}
    END IF;
    RETURN NULL;
END
$$""",
    """CREATE FUNCTION people_stamp_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM people_stamp_renew(OLD.user_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.user_id <> OLD.user_id) THEN
        PERFORM people_stamp_renew(NEW.user_id);
    END IF;
    RETURN NULL;
END
$$""",
    """CREATE FUNCTION people_stamp_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM people_stamp_renew(NEW.id);
    RETURN NULL;
END
$$""",
]


def _pg_triggers() -> list[str]:
    member_columns = ", ".join(MEMBERSHIP_COLUMNS)
    triggers = [
        f"CREATE TRIGGER people_stamp AFTER INSERT OR DELETE OR UPDATE OF {member_columns} "
        "ON memberships FOR EACH ROW EXECUTE FUNCTION people_stamp_membership()",
        "CREATE TRIGGER people_stamp AFTER UPDATE OF name ON users FOR EACH ROW "
        "WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION people_stamp_user()",
    ]
    for table, columns in PERSON_TABLES.items():
        of = f" OF {', '.join(columns)}" if columns else ""
        triggers.append(
            f"CREATE TRIGGER people_stamp AFTER INSERT OR DELETE OR UPDATE{of} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION people_stamp_person()"
        )
    return triggers


def upgrade():
    # Who starred a session, from the index alone (it replaces the one on item_id).
    with op.batch_alter_table('stars', schema=None) as batch_op:
        batch_op.drop_index('ix_stars_item_id')
        batch_op.create_index('ix_stars_item_user', ['item_id', 'user_id'], unique=False)

    op.create_table('people_stamps',
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_people_stamps_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conference_id', name=op.f('pk_people_stamps'))
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    token = PG_TOKEN if postgres else SQLITE_TOKEN
    op.execute(f"INSERT INTO people_stamps (conference_id, token) SELECT id, {token} FROM conferences")
    for statement in (PG_FUNCTIONS + _pg_triggers()) if postgres else _sqlite_triggers():
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in ("memberships", "users", *PERSON_TABLES):
            op.execute(f"DROP TRIGGER people_stamp ON {table}")
        for function in ("people_stamp_user()", "people_stamp_person()",
                         "people_stamp_membership()", "people_stamp_renew(integer)"):
            op.execute(f"DROP FUNCTION {function}")
    else:
        for name in _sqlite_trigger_names():
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table('people_stamps')
    with op.batch_alter_table('stars', schema=None) as batch_op:
        batch_op.drop_index('ix_stars_item_user')
        batch_op.create_index('ix_stars_item_id', ['item_id'], unique=False)
