"""a mentor who helps beyond their school: offered the help requests of the organisations around it

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 07:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('memberships') as batch:
        batch.add_column(sa.Column('beyond_school', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('memberships') as batch:
        batch.drop_column('beyond_school')
