"""self-assessments and the mentor's ratings of each difficulty, at a program's start and end

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 06:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'assessments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mentorship_id', sa.Integer(), nullable=False),
        sa.Column('mentee_id', sa.Integer(), nullable=False),
        sa.Column('assessor_id', sa.Integer(), nullable=False),
        sa.Column('by_mentor', sa.Boolean(), nullable=False),
        sa.Column('stage', sa.Enum('start', 'end', name='assessment_stage', native_enum=False, length=32),
                  nullable=False),
        sa.Column('item', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('rated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'],
                                name=op.f('fk_assessments_mentorship_id_mentorships')),
        sa.ForeignKeyConstraint(['mentee_id'], ['people.id'], name=op.f('fk_assessments_mentee_id_people')),
        sa.ForeignKeyConstraint(['assessor_id'], ['people.id'], name=op.f('fk_assessments_assessor_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
        sa.UniqueConstraint('mentorship_id', 'mentee_id', 'assessor_id', 'stage', 'item',
                            name=op.f('uq_assessments_mentorship_id')),
    )
    with op.batch_alter_table('assessments') as batch:
        batch.create_index(batch.f('ix_assessments_mentorship_id'), ['mentorship_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('assessments') as batch:
        batch.drop_index(batch.f('ix_assessments_mentorship_id'))
    op.drop_table('assessments')
