"""the head's approval of pairs, programs and replacements, with the order's number and date

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 05:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organizations') as batch:
        batch.add_column(sa.Column('approvals', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table(
        'approvals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('mentorship_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('pair', 'program', 'replacement', name='approval_kind', native_enum=False,
                                  length=32), nullable=False),
        sa.Column('status', sa.Enum('pending', 'approved', 'returned', name='approval_status', native_enum=False,
                                    length=32), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('order_number', sa.String(length=40), nullable=True),
        sa.Column('order_date', sa.Date(), nullable=True),
        sa.Column('order_year', sa.Integer(), nullable=True),
        sa.Column('order_seq', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_approvals_organization_id_organizations')),
        sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_approvals_mentorship_id_mentorships')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['people.id'], name=op.f('fk_approvals_decided_by_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_approvals')),
        sa.UniqueConstraint('organization_id', 'order_year', 'order_seq', name=op.f('uq_approvals_organization_id')),
    )
    with op.batch_alter_table('approvals') as batch:
        batch.create_index(batch.f('ix_approvals_organization_id'), ['organization_id'], unique=False)
        batch.create_index(batch.f('ix_approvals_mentorship_id'), ['mentorship_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('approvals') as batch:
        batch.drop_index(batch.f('ix_approvals_mentorship_id'))
        batch.drop_index(batch.f('ix_approvals_organization_id'))
    op.drop_table('approvals')
    with op.batch_alter_table('organizations') as batch:
        batch.drop_column('approvals')
