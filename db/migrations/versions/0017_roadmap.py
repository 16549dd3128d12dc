"""the curator's dates and people for the stages of the school year's road map

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 07:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'roadmap_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('school_year', sa.Integer(), nullable=False),
        sa.Column('stage', sa.Integer(), nullable=False),
        sa.Column('dates', sa.String(length=200), nullable=True),
        sa.Column('responsible', sa.String(length=300), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_roadmap_entries_organization_id_organizations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_roadmap_entries')),
        sa.UniqueConstraint('organization_id', 'school_year', 'stage', name=op.f('uq_roadmap_entries_organization_id')),
    )


def downgrade() -> None:
    op.drop_table('roadmap_entries')
