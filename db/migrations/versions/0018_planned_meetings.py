"""meetings planned ahead: the meeting (or each occurrence of a series), the participants' answers, and
a file attached to a notification (the meeting's .ics); whether an organisation lets mentees choose
their mentor

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 06:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

STATUS = sa.Enum('proposed', 'accepted', 'declined', 'cancelled', 'held', 'missed', name='planned_meeting_status',
                 native_enum=False, length=32)
FORMAT = sa.Enum('in_person', 'online', name='meeting_format', native_enum=False, length=32)


def upgrade() -> None:
    with op.batch_alter_table('organizations') as batch:
        batch.add_column(sa.Column('mentor_self_choice', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('notifications') as batch:
        batch.add_column(sa.Column('attachment', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('attachment_name', sa.String(length=100), nullable=True))
    op.create_table(
        'planned_meetings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mentorship_id', sa.Integer(), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=True),
        sa.Column('every_weeks', sa.Integer(), nullable=True),
        sa.Column('proposed_by_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('duration_minutes', sa.Integer(), nullable=False),
        sa.Column('format', FORMAT, nullable=False),
        sa.Column('place', sa.String(length=300), nullable=True),
        sa.Column('topic', sa.Text(), nullable=False),
        sa.Column('plan_item_id', sa.Integer(), nullable=True),
        sa.Column('status', STATUS, nullable=False),
        sa.Column('sequence', sa.Integer(), server_default='0', nullable=False),
        sa.Column('reminded_day_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reminded_hour_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('asked_held_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('meeting_log_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'],
                                name=op.f('fk_planned_meetings_mentorship_id_mentorships')),
        sa.ForeignKeyConstraint(['series_id'], ['planned_meetings.id'],
                                name=op.f('fk_planned_meetings_series_id_planned_meetings')),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['people.id'], name=op.f('fk_planned_meetings_proposed_by_id_people')),
        sa.ForeignKeyConstraint(['plan_item_id'], ['plan_items.id'],
                                name=op.f('fk_planned_meetings_plan_item_id_plan_items')),
        sa.ForeignKeyConstraint(['meeting_log_id'], ['meeting_logs.id'],
                                name=op.f('fk_planned_meetings_meeting_log_id_meeting_logs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_meetings')),
    )
    op.create_index(op.f('ix_planned_meetings_mentorship_id'), 'planned_meetings', ['mentorship_id'])
    op.create_index(op.f('ix_planned_meetings_series_id'), 'planned_meetings', ['series_id'])
    op.create_index('ix_planned_meetings_status_starts_at', 'planned_meetings', ['status', 'starts_at'])
    op.create_table(
        'meeting_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('accepted', sa.Boolean(), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['planned_meetings.id'], ondelete='CASCADE',
                                name=op.f('fk_meeting_answers_meeting_id_planned_meetings')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_meeting_answers_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_answers')),
        sa.UniqueConstraint('meeting_id', 'person_id', name=op.f('uq_meeting_answers_meeting_id')),
    )
    op.create_index(op.f('ix_meeting_answers_meeting_id'), 'meeting_answers', ['meeting_id'])


def downgrade() -> None:
    op.drop_table('meeting_answers')
    op.drop_table('planned_meetings')
    with op.batch_alter_table('notifications') as batch:
        batch.drop_column('attachment_name')
        batch.drop_column('attachment')
    with op.batch_alter_table('organizations') as batch:
        batch.drop_column('mentor_self_choice')
