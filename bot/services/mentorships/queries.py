"""The reads of pairs and groups: statements built once at import, and the queries the services run."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import (
    Integer,
    Row,
    Select,
    bindparam,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from bot.services.errors import NotFound
from bot.services.people import OPEN, has_current_mentor, named_select
from db.models import (
    Approval,
    Assessment,
    AssessmentStage,
    MeetingLog,
    Membership,
    MembershipTopic,
    Mentorship,
    MentorshipStatus,
    MentorTraining,
    Organization,
    Participant,
    Person,
    PlanItem,
    PlannedMeeting,
    Program,
    ProgramChange,
    ReplacementRequest,
    Role,
    Topic,
)


def _load_statement(with_program: bool) -> Select:
    options = [selectinload(Mentorship.participants).joinedload(Participant.person, innerjoin=True)]
    if with_program:
        options.append(joinedload(Mentorship.program).selectinload(Program.items))
    return (select(Mentorship).where(Mentorship.id == bindparam("id", type_=Mentorship.id.type)).options(*options)
            .execution_options(populate_existing=True))


LOAD = {True: _load_statement(True), False: _load_statement(False)}  # built once


async def load_mentorship(session: AsyncSession, mentorship_id: int, *, with_program: bool = True) -> Mentorship:
    # populate_existing: collections loaded earlier in this session are reloaded too; three statements
    # (the mentorship with its program, the participants with their people, the plan's items), two
    # without the program (its attribute is then not loaded: who asks for it gets a lazy load error)
    m = await session.scalar(LOAD[with_program], {"id": mentorship_id})
    if m is None:
        raise NotFound()
    return m


PAIR_PEOPLE = (select(Mentorship.organization_id, Participant.person_id, Participant.role, Person.full_name)
               .outerjoin(Participant, (Participant.mentorship_id == Mentorship.id) & Participant.left_at.is_(None)
                          & Participant.declined_at.is_(None))
               .outerjoin(Person, Person.id == Participant.person_id)
               .where(Mentorship.id == bindparam("id", type_=Mentorship.id.type))
               .order_by(Participant.id))


# What `view` shows, as plain rows (no ORM objects to build), in one statement of two parts: the
# mentorship with its organisation, program and each participant (part 0, a row a participant, in the
# order they joined), then the plan's items (part 1, by due date). A part's rows carry NULL in the
# other part's columns, typed (type_coerce) so that both databases give the same Python values.
def _view_statement() -> Select:
    pair = [Mentorship.id, Mentorship.organization_id, Mentorship.form, Mentorship.kind, Mentorship.status,
            Mentorship.completion_reason, Organization.name.label("organization_name"), Organization.timezone,
            Program.id.label("program_id"), Program.goals, Program.difficulties, Program.start_date,
            Program.end_date, Participant.id.label("participant_id"), Participant.person_id, Participant.role,
            Participant.left_at, Participant.declined_at, Participant.replacement_ground, Person.full_name,
            Person.telegram_id, Person.locale,
            select(func.count()).where(Approval.mentorship_id == Mentorship.id).scalar_subquery().label("approvals"),
            select(func.count()).where(Assessment.mentorship_id == Mentorship.id).scalar_subquery()
            .label("assessments")]
    items = [PlanItem.id.label("item_id"), PlanItem.activity, PlanItem.due_date, PlanItem.expected_result,
             PlanItem.done_at, PlanItem.completion_note]
    mentorship_id = bindparam("id", type_=Mentorship.id.type)

    def nulls(columns: list) -> list:
        return [type_coerce(null(), c.type).label(c.key) for c in columns]

    people = (select(literal(0, Integer).label("part"), *pair, *nulls(items))
              .join(Organization, Organization.id == Mentorship.organization_id)
              .outerjoin(Program, Program.mentorship_id == Mentorship.id)
              .outerjoin(Participant, Participant.mentorship_id == Mentorship.id)
              .outerjoin(Person, Person.id == Participant.person_id)
              .where(Mentorship.id == mentorship_id))
    plan = (select(literal(1, Integer), *nulls(pair), *items)
            .join(Program, Program.id == PlanItem.program_id)
            .where(Program.mentorship_id == mentorship_id))
    both = union_all(people, plan).subquery()
    return select(both).order_by(both.c.part, both.c.participant_id, both.c.due_date, both.c.item_id)


VIEW = _view_statement()  # built once


def _my_mentorships() -> Select:
    """Built once (its subqueries made building it dearer than running it): `person_id`, and `curated`,
    the organisations the person curates (a list)."""
    mine = select(Participant.mentorship_id).where(
        Participant.person_id == bindparam("person_id", type_=Participant.person_id.type),
        Participant.left_at.is_(None), Participant.declined_at.is_(None))
    return named_select(select(Mentorship.id).where(
        (Mentorship.id.in_(mine)) | (Mentorship.organization_id.in_(bindparam("curated", expanding=True))))
        .order_by(Mentorship.id.desc()).limit(50).subquery())


MY_MENTORSHIPS = _my_mentorships()


def in_open_mentorship(role: Role):
    """People in a current pair or group in `role`; a mentee counts only while the pair has a mentor (one
    whose mentor left is back among those to pair)."""
    query = select(Participant.person_id).join(Mentorship).where(
        Mentorship.status.in_(OPEN), Participant.role == role,
        Participant.left_at.is_(None), Participant.declined_at.is_(None))
    if role == Role.MENTEE:
        query = query.where(has_current_mentor())
    return query


async def unpaired_mentees(session: AsyncSession, org_id: int) -> Sequence[Person]:
    """The organisation's mentees with a finished profile and no pair or group in progress, by name."""
    return (await session.scalars(
        select(Person).join(Membership, Membership.person_id == Person.id).where(
            Membership.organization_id == org_id, Membership.role == Role.MENTEE, Membership.ended_at.is_(None),
            Person.erased_at.is_(None), Person.profile_completed_at.is_not(None),
            Person.id.not_in(in_open_mentorship(Role.MENTEE)))
        .order_by(Person.search_name))).all()


async def topics(session: AsyncSession, org_id: int, person_ids: Sequence[int], role: Role) -> dict[int, set[int]]:
    """Each person's difficulties (a mentee's) or competencies (a mentor's) in the organisation."""
    rows = await session.execute(
        select(Membership.person_id, MembershipTopic.topic_id).join(
            MembershipTopic, MembershipTopic.membership_id == Membership.id).where(
            Membership.organization_id == org_id, Membership.role == role, Membership.ended_at.is_(None),
            Membership.person_id.in_(person_ids)))
    result: dict[int, set[int]] = {pid: set() for pid in person_ids}
    for person_id, topic_id in rows:
        result[person_id].add(topic_id)
    return result


async def mentor_candidates(session: AsyncSession, org_id: int, excluded: Sequence[int]) -> Sequence[Row]:
    """(mentor, capacity) of the organisation's mentors with a finished profile, at work (not on a long
    absence) and, where the organisation selects its mentors, admitted by the curator; but for `excluded`."""
    admitted = Membership.approved_at.is_not(None) | Organization.mentor_selection.is_(False)
    return (await session.execute(
        select(Person, Membership.capacity).join(Membership, Membership.person_id == Person.id)
        .join(Organization, Organization.id == Membership.organization_id).where(
            Membership.organization_id == org_id, Membership.role == Role.MENTOR, Membership.ended_at.is_(None),
            Membership.absent_since.is_(None), admitted, Person.erased_at.is_(None),
            Person.profile_completed_at.is_not(None), Person.id.not_in(list(excluded))))).all()


async def topic_titles(session: AsyncSession, org_id: int) -> dict[int, str]:
    return dict((await session.execute(select(Topic.id, Topic.title).where(Topic.organization_id == org_id))).all())


async def titles_in_order(session: AsyncSession, topic_ids: set[int]) -> Sequence[str]:
    return (await session.scalars(select(Topic.title).where(Topic.id.in_(topic_ids)).order_by(Topic.position))).all()


async def in_mentorless_pairs(session: AsyncSession, mentee_ids: Sequence[int], except_id: int) -> Sequence[Participant]:
    """Those mentees' places in other active pairs or groups that have no current mentor."""
    return (await session.scalars(select(Participant).join(Mentorship).where(
        Participant.person_id.in_(mentee_ids), Participant.role == Role.MENTEE, Participant.left_at.is_(None),
        Participant.declined_at.is_(None), Mentorship.id != except_id, Mentorship.status == MentorshipStatus.ACTIVE,
        ~has_current_mentor()))).all()


async def mentorships_of(session: AsyncSession, person_id: int, org_id: int) -> Sequence[Mentorship]:
    """The person's pairs and groups at the organisation, newest first, with their participants (20)."""
    ids = select(Participant.mentorship_id).where(Participant.person_id == person_id)
    return (await session.scalars(
        select(Mentorship).where(Mentorship.id.in_(ids), Mentorship.organization_id == org_id)
        .options(selectinload(Mentorship.participants).selectinload(Participant.person))
        .order_by(Mentorship.id.desc()).limit(20))).all()


async def undecided_replacements(session: AsyncSession, mentorship_id: int) -> Sequence[ReplacementRequest]:
    return (await session.scalars(select(ReplacementRequest).where(
        ReplacementRequest.mentorship_id == mentorship_id, ReplacementRequest.decided_at.is_(None)))).all()


async def open_places_of(session: AsyncSession, person_id: int, org_id: int | None) -> Sequence[Participant]:
    """The person's places in pairs and groups not over (in one organisation, or everywhere)."""
    query = select(Participant).join(Mentorship).where(
        Participant.person_id == person_id, Participant.left_at.is_(None), Participant.declined_at.is_(None),
        Mentorship.status.in_(OPEN))
    if org_id is not None:
        query = query.where(Mentorship.organization_id == org_id)
    return (await session.scalars(query)).all()


async def items_due_by(session: AsyncSession, until: date) -> Sequence[Row]:
    """(plan item, pair id, zone) of active pairs' items not done and due by `until`."""
    return (await session.execute(
        select(PlanItem, Mentorship.id, Organization.timezone).join(Program, PlanItem.program_id == Program.id)
        .join(Mentorship, Program.mentorship_id == Mentorship.id)
        .join(Organization, Mentorship.organization_id == Organization.id)
        .where(Mentorship.status == MentorshipStatus.ACTIVE, PlanItem.done_at.is_(None),
               PlanItem.due_date <= until))).all()


# ------------------------------------------------------------------ corrections and their history
async def person_name(session: AsyncSession, person_id: int) -> str | None:
    return await session.scalar(select(Person.full_name).where(Person.id == person_id))


async def unlink_meetings(session: AsyncSession, item_id: int) -> None:
    """Meetings that advanced (or are planned for) a plan item keep their record when the item is deleted."""
    await session.execute(update(MeetingLog).where(MeetingLog.plan_item_id == item_id).values(plan_item_id=None))
    await session.execute(update(PlannedMeeting).where(PlannedMeeting.plan_item_id == item_id)
                          .values(plan_item_id=None))


async def program_changes(session: AsyncSession, mentorship_id: int, limit: int) -> tuple[Sequence[Row], int]:
    """The latest changes (ProgramChange, the author's name), newest first, and how many there are."""
    rows = (await session.execute(select(ProgramChange, Person.full_name).outerjoin(
        Person, Person.id == ProgramChange.changed_by_id).where(ProgramChange.mentorship_id == mentorship_id)
        .order_by(ProgramChange.changed_at.desc(), ProgramChange.id.desc()).limit(limit))).all()
    total = await session.scalar(select(func.count()).select_from(ProgramChange).where(
        ProgramChange.mentorship_id == mentorship_id)) or 0
    return rows, total


# ------------------------------------------------------------------------- absence, departure
async def memberships_in(session: AsyncSession, person_id: int, org_id: int) -> list[Membership]:
    """The person's current memberships of the organisation, with the person."""
    return list((await session.scalars(select(Membership).options(joinedload(Membership.person)).where(
        Membership.person_id == person_id, Membership.organization_id == org_id, Membership.ended_at.is_(None))
        .order_by(Membership.id))).all())


async def paused_for(session: AsyncSession, person_id: int, org_id: int) -> Sequence[int]:
    """The organisation's pairs and groups paused for this person's absence."""
    return (await session.scalars(select(Mentorship.id).where(
        Mentorship.organization_id == org_id, Mentorship.status == MentorshipStatus.PAUSED,
        Mentorship.paused_for_id == person_id).order_by(Mentorship.id))).all()


# ------------------------------------------------------------------- mentors' selection, training
async def mentor_membership(session: AsyncSession, person_id: int, org_id: int) -> Membership | None:
    return await session.scalar(select(Membership).options(joinedload(Membership.person)).where(
        Membership.person_id == person_id, Membership.organization_id == org_id, Membership.role == Role.MENTOR,
        Membership.ended_at.is_(None)))


async def trainings_of(session: AsyncSession, person_id: int, org_id: int) -> Sequence[MentorTraining]:
    return (await session.scalars(select(MentorTraining).where(
        MentorTraining.person_id == person_id, MentorTraining.organization_id == org_id)
        .order_by(MentorTraining.held_on, MentorTraining.id))).all()


async def candidates_waiting(session: AsyncSession, org_id: int) -> Sequence[Row]:
    """(person, name, since) of mentors not yet admitted, where the organisation selects its mentors."""
    return (await session.execute(select(Person.id, Person.full_name, Membership.created_at)
                                  .join(Membership, Membership.person_id == Person.id)
                                  .join(Organization, Organization.id == Membership.organization_id).where(
        Membership.organization_id == org_id, Membership.role == Role.MENTOR, Membership.ended_at.is_(None),
        Membership.approved_at.is_(None), Organization.mentor_selection.is_(True), Person.erased_at.is_(None))
        .order_by(Membership.created_at, Person.id))).all()


# ------------------------------------------------------------------------------------ approvals
async def heads_of(session: AsyncSession, org_id: int) -> list[Person]:
    return list((await session.scalars(
        select(Person).join(Membership, Membership.person_id == Person.id).where(
            Membership.organization_id == org_id, Membership.role == Role.HEAD,
            Membership.ended_at.is_(None), Person.erased_at.is_(None)).distinct())).all())


async def approvals_of(session: AsyncSession, mentorship_id: int) -> Sequence[Approval]:
    """The mentorship's approvals, the latest of each kind last."""
    return (await session.scalars(select(Approval).where(Approval.mentorship_id == mentorship_id)
                                  .order_by(Approval.requested_at, Approval.id))).all()


# ------------------------------------------------------------------------------ assessments
async def rated_items(session: AsyncSession, mentorship_id: int, mentee_id: int,
                      assessor_id: int) -> dict[AssessmentStage, set[int]]:
    """The items this assessor has rated for this mentee, by stage."""
    rows = await session.execute(select(Assessment.stage, Assessment.item).where(
        Assessment.mentorship_id == mentorship_id, Assessment.mentee_id == mentee_id,
        Assessment.assessor_id == assessor_id))
    done: dict[AssessmentStage, set[int]] = {}
    for stage, item in rows:
        done.setdefault(stage, set()).add(item)
    return done


async def assessments_of(session: AsyncSession, mentorship_id: int) -> Sequence[Assessment]:
    return (await session.scalars(select(Assessment).where(Assessment.mentorship_id == mentorship_id))).all()


async def zone_of(session: AsyncSession, org_id: int) -> str:
    return await session.scalar(select(Organization.timezone).where(Organization.id == org_id)) or "UTC"
