"""dialog state, meeting index

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 14:20:12.426209
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dialog_states',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('state', sa.String(length=255), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_dialog_states'))
    )
    with op.batch_alter_table('meeting_logs', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_logs_mentorship_held_on', ['mentorship_id', 'held_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meeting_logs', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_logs_mentorship_held_on')

    op.drop_table('dialog_states')
