"""help requests, editable and copied notifications, escalation hours

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('help_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('attachment_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('attachment_message_id', sa.BigInteger(), nullable=True),
    sa.Column('own_mentor', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('open', 'taken', 'closed', name='help_request_status', native_enum=False, length=32), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('escalate_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_answer_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('rating_comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['mentee_id'], ['people.id'], name=op.f('fk_help_requests_mentee_id_people')),
    sa.ForeignKeyConstraint(['mentor_id'], ['people.id'], name=op.f('fk_help_requests_mentor_id_people')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_help_requests_organization_id_organizations')),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_help_requests_topic_id_topics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_requests'))
    )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_requests_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_status'), ['status'], unique=False)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('telegram_message_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('copy_from_chat_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('copy_message_id', sa.BigInteger(), nullable=True))

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('help_escalation_hours', sa.Integer(), server_default='4', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('help_escalation_hours')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('copy_message_id')
        batch_op.drop_column('copy_from_chat_id')
        batch_op.drop_column('telegram_message_id')

    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_requests_status'))
        batch_op.drop_index(batch_op.f('ix_help_requests_organization_id'))
        batch_op.drop_index(batch_op.f('ix_help_requests_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_help_requests_mentee_id'))

    op.drop_table('help_requests')
