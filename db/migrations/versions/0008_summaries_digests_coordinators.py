"""summaries, digests, coordinators

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 14:00:31.681795
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo', sa.LargeBinary(), nullable=True))

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('teachers_total', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('young_teachers_total', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('digest_weekday', sa.Integer(), server_default='0', nullable=True))
        batch_op.add_column(sa.Column('digest_hour', sa.Integer(), server_default='8', nullable=False))
        batch_op.add_column(sa.Column('digest_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_organizations_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_organizations_parent_id_organizations'), 'organizations', ['parent_id'], ['id'])

    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mean_score', sa.Float(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_column('mean_score')

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organizations_parent_id_organizations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_organizations_parent_id'))
        batch_op.drop_column('digest_sent_at')
        batch_op.drop_column('digest_hour')
        batch_op.drop_column('digest_weekday')
        batch_op.drop_column('young_teachers_total')
        batch_op.drop_column('teachers_total')
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('photo')

