"""meeting journal

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meeting_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentorship_id', sa.Integer(), nullable=False),
    sa.Column('logged_by_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('format', sa.Enum('in_person', 'online', name='meeting_format', native_enum=False, length=32), nullable=False),
    sa.Column('channel', sa.String(length=200), nullable=True),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=True),
    sa.Column('plan_item_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['logged_by_id'], ['people.id'], name=op.f('fk_meeting_logs_logged_by_id_people')),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_meeting_logs_mentorship_id_mentorships')),
    sa.ForeignKeyConstraint(['plan_item_id'], ['plan_items.id'], name=op.f('fk_meeting_logs_plan_item_id_plan_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_logs'))
    )
    with op.batch_alter_table('meeting_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_logs_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_logs_mentorship_id'), ['mentorship_id'], unique=False)

    op.create_table('meeting_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting_logs.id'], name=op.f('fk_meeting_confirmations_meeting_id_meeting_logs')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_meeting_confirmations_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_confirmations')),
    sa.UniqueConstraint('meeting_id', 'person_id', name=op.f('uq_meeting_confirmations_meeting_id'))
    )
    with op.batch_alter_table('meeting_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_confirmations_meeting_id'), ['meeting_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meeting_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_confirmations_meeting_id'))

    op.drop_table('meeting_confirmations')
    with op.batch_alter_table('meeting_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_logs_mentorship_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_logs_held_on'))

    op.drop_table('meeting_logs')
