"""corrections of a program, its form and kind: who, when, before and after

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 03:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'program_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mentorship_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('item_activity', 'item_due', 'item_expected', 'item_deleted', 'goals', 'form',
                                  'kind', name='program_change_kind', native_enum=False, length=32), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=True),
        sa.Column('before', sa.Text(), nullable=False),
        sa.Column('after', sa.Text(), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'],
                                name=op.f('fk_program_changes_mentorship_id_mentorships')),
        sa.ForeignKeyConstraint(['changed_by_id'], ['people.id'], name=op.f('fk_program_changes_changed_by_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_program_changes')),
    )
    with op.batch_alter_table('program_changes') as batch:
        batch.create_index(batch.f('ix_program_changes_mentorship_id'), ['mentorship_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('program_changes') as batch:
        batch.drop_index(batch.f('ix_program_changes_mentorship_id'))
    op.drop_table('program_changes')
