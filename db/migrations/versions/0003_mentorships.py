"""pairs, groups, personalised programs, plan items, extensions, replacements

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mentorships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.Enum('teacher_teacher', 'head_teacher', 'employer_student', 'university_teacher', 'partner_teacher', 'school_school', name='mentoring_form', native_enum=False, length=32), nullable=False),
    sa.Column('kind', sa.Enum('traditional', 'group', 'short_term', 'reverse', 'situational', 'speed', 'virtual', 'partner', 'self_regulated', name='mentoring_kind', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'active', 'declined', 'completed', name='mentorship_status', native_enum=False, length=32), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completion_reason', sa.Enum('plan_done', 'mentor_initiative', 'mentee_initiative', 'curator_force_majeure', name='completion_reason', native_enum=False, length=32), nullable=True),
    sa.Column('end_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_mentorships_created_by_id_people')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_mentorships_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorships'))
    )
    with op.batch_alter_table('mentorships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentorships_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorships_status'), ['status'], unique=False)

    op.create_table('mentorship_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentorship_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('mentee', 'mentor', 'curator', 'head', 'coordinator', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replacement_ground', sa.Enum('mentee_application', 'mentor_application', 'long_absence', 'dismissal_transfer', 'disciplinary', 'incompatibility', name='replacement_ground', native_enum=False, length=32), nullable=True),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_mentorship_participants_mentorship_id_mentorships')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_mentorship_participants_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_participants'))
    )
    with op.batch_alter_table('mentorship_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentorship_participants_mentorship_id'), ['mentorship_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_participants_person_id'), ['person_id'], unique=False)

    op.create_table('programs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentorship_id', sa.Integer(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('difficulties', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_programs_created_by_id_people')),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_programs_mentorship_id_mentorships')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programs')),
    sa.UniqueConstraint('mentorship_id', name=op.f('uq_programs_mentorship_id'))
    )
    op.create_table('replacement_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentorship_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('ground', sa.Enum('mentee_application', 'mentor_application', 'long_absence', 'dismissal_transfer', 'disciplinary', 'incompatibility', name='replacement_ground', native_enum=False, length=32), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_replacement_requests_mentorship_id_mentorships')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['people.id'], name=op.f('fk_replacement_requests_requested_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replacement_requests'))
    )
    with op.batch_alter_table('replacement_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replacement_requests_mentorship_id'), ['mentorship_id'], unique=False)

    op.create_table('plan_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('activity', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('expected_result', sa.Text(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completion_note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_plan_items_created_by_id_people')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_plan_items_program_id_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_items'))
    )
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_items_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_items_program_id'), ['program_id'], unique=False)

    op.create_table('program_extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('old_end_date', sa.Date(), nullable=False),
    sa.Column('new_end_date', sa.Date(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('agreed_by', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_extensions_program_id_programs')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['people.id'], name=op.f('fk_program_extensions_requested_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_extensions'))
    )
    with op.batch_alter_table('program_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_extensions_program_id'), ['program_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('program_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_extensions_program_id'))

    op.drop_table('program_extensions')
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_items_program_id'))
        batch_op.drop_index(batch_op.f('ix_plan_items_due_date'))

    op.drop_table('plan_items')
    with op.batch_alter_table('replacement_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replacement_requests_mentorship_id'))

    op.drop_table('replacement_requests')
    op.drop_table('programs')
    with op.batch_alter_table('mentorship_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentorship_participants_person_id'))
        batch_op.drop_index(batch_op.f('ix_mentorship_participants_mentorship_id'))

    op.drop_table('mentorship_participants')
    with op.batch_alter_table('mentorships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentorships_status'))
        batch_op.drop_index(batch_op.f('ix_mentorships_organization_id'))

    op.drop_table('mentorships')
