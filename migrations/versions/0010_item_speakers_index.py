"""item_speakers by speaker: the sessions a person speaks in, found from the speaker's side

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 20:20:00.000000

A personal feed's version reads the sessions its owner speaks in (speakers by user, then
item_speakers by speaker). The table's primary key starts with the session, so without this
index both databases scanned every row of item_speakers on every feed poll: on the benchmark's
1,000 sessions that was a third of the version query's time.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_item_speakers_speaker_id", "item_speakers", ["speaker_id"])


def downgrade():
    op.drop_index("ix_item_speakers_speaker_id", table_name="item_speakers")
