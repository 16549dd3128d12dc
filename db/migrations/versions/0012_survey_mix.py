"""answers waiting in the mix: sealed, written to survey_responses in batches of at least the minimum

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 21:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'survey_mix',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('key_id', sa.String(length=16), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_mix_survey_id_surveys'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_survey_mix_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_mix')),
        sa.UniqueConstraint('survey_id', 'person_id', name=op.f('uq_survey_mix_survey_id')),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table('survey_mix')
