"""speed sessions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('speed_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=500), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', 'done', name='speed_session_status', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['host_id'], ['people.id'], name=op.f('fk_speed_sessions_host_id_people')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_speed_sessions_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speed_sessions'))
    )
    with op.batch_alter_table('speed_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speed_sessions_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_speed_sessions_starts_at'), ['starts_at'], unique=False)

    op.create_table('speed_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('registered', 'waitlist', 'cancelled', name='signup_status', native_enum=False, length=32), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('feedback', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_speed_signups_person_id_people')),
    sa.ForeignKeyConstraint(['session_id'], ['speed_sessions.id'], name=op.f('fk_speed_signups_session_id_speed_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speed_signups')),
    sa.UniqueConstraint('session_id', 'person_id', name=op.f('uq_speed_signups_session_id'))
    )
    with op.batch_alter_table('speed_signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speed_signups_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_speed_signups_session_id'), ['session_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('speed_signups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_speed_signups_session_id'))
        batch_op.drop_index(batch_op.f('ix_speed_signups_person_id'))

    op.drop_table('speed_signups')
    with op.batch_alter_table('speed_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_speed_sessions_starts_at'))
        batch_op.drop_index(batch_op.f('ix_speed_sessions_organization_id'))

    op.drop_table('speed_sessions')
