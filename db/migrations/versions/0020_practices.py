"""the best-practice bank: practices and their files, and the organisation's channel they are posted to

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 07:30:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

STATUS = sa.Enum('submitted', 'approved', 'featured', 'returned', name='practice_status', native_enum=False,
                 length=32)


def upgrade() -> None:
    with op.batch_alter_table('organizations') as batch:
        batch.add_column(sa.Column('channel_id', sa.BigInteger(), nullable=True))
    op.create_table(
        'practices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('mentorship_id', sa.Integer(), nullable=True),
        sa.Column('search_text', sa.Text(), nullable=False),
        sa.Column('status', STATUS, nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('featured_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_practices_organization_id_organizations')),
        sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_practices_author_id_people')),
        sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_practices_topic_id_topics')),
        sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'],
                                name=op.f('fk_practices_mentorship_id_mentorships')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['people.id'], name=op.f('fk_practices_decided_by_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_practices')),
    )
    op.create_index(op.f('ix_practices_organization_id'), 'practices', ['organization_id'])
    op.create_index(op.f('ix_practices_author_id'), 'practices', ['author_id'])
    op.create_table(
        'practice_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.Column('chat_id', sa.BigInteger(), nullable=False),
        sa.Column('message_id', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], ondelete='CASCADE',
                                name=op.f('fk_practice_files_practice_id_practices')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_files')),
    )
    op.create_index(op.f('ix_practice_files_practice_id'), 'practice_files', ['practice_id'])


def downgrade() -> None:
    op.drop_table('practice_files')
    op.drop_table('practices')
    with op.batch_alter_table('organizations') as batch:
        batch.drop_column('channel_id')
