"""a participant's absence pauses pairs; mentor candidates admitted by the curator; mentors' trainings

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 04:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('memberships') as batch:
        batch.add_column(sa.Column('absent_since', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
    # the mentors there already were offered in /pair: they stay admitted
    op.execute("UPDATE memberships SET approved_at = created_at WHERE role = 'mentor'")
    with op.batch_alter_table('mentorships') as batch:
        batch.add_column(sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('paused_for_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f('fk_mentorships_paused_for_id_people'), 'people', ['paused_for_id'], ['id'])
    with op.batch_alter_table('organizations') as batch:
        batch.add_column(sa.Column('mentor_selection', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table(
        'mentor_trainings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('orientation', 'course', 'seminar', 'speed_session', name='training_kind',
                                  native_enum=False, length=32), nullable=False),
        sa.Column('title', sa.Text(), nullable=True),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_mentor_trainings_person_id_people')),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_mentor_trainings_organization_id_organizations')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'],
                                name=op.f('fk_mentor_trainings_recorded_by_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_trainings')),
    )
    with op.batch_alter_table('mentor_trainings') as batch:
        batch.create_index(batch.f('ix_mentor_trainings_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mentor_trainings') as batch:
        batch.drop_index(batch.f('ix_mentor_trainings_person_id'))
    op.drop_table('mentor_trainings')
    with op.batch_alter_table('organizations') as batch:
        batch.drop_column('mentor_selection')
    with op.batch_alter_table('mentorships') as batch:
        batch.drop_constraint(batch.f('fk_mentorships_paused_for_id_people'), type_='foreignkey')
        batch.drop_column('paused_for_id')
        batch.drop_column('paused_at')
    with op.batch_alter_table('memberships') as batch:
        batch.drop_column('approved_at')
        batch.drop_column('absent_since')
