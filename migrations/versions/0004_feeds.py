"""calendar feeds: personal feed tokens and reminder settings, feed versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 21:51:19.167740

"""
from alembic import op
import sqlalchemy as sa
import confnet.database


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # New tables only: nothing existing changes, so no server defaults are needed.
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('salt', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('reminder_minutes', sa.Integer(), nullable=True),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('version_at', confnet.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', confnet.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('token_created_at', confnet.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('reminder_minutes IS NULL OR reminder_minutes IN (5, 10, 15, 30, 60)', name=op.f('ck_calendar_feeds_reminder_minutes')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id'))
    )
    op.create_table('conference_feed_versions',
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('version_at', confnet.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_conference_feed_versions_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conference_id', name=op.f('pk_conference_feed_versions'))
    )


def downgrade():
    op.drop_table('conference_feed_versions')
    op.drop_table('calendar_feeds')
