"""The reads of the summary and the digest: statements built once at import, and the queries the service
runs."""
from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import OPEN, has_current_mentor
from db.models import (
    Approval,
    ApprovalStatus,
    Assessment,
    HelpRequest,
    HelpRequestStatus,
    MeetingLog,
    Membership,
    Mentorship,
    MentorshipStatus,
    Organization,
    Participant,
    Person,
    PlanItem,
    Program,
    Role,
    Survey,
    SurveyParticipant,
    SurveyStatus,
)

ATTENTION_SHOWN = 5


TEACHER_ROLES = (Role.MENTEE, Role.MENTOR, Role.CURATOR, Role.HEAD)


def _ids(column: Any) -> Any:
    return column.in_(bindparam("ids", expanding=True))


def _distinct_where(condition: Any, value: Any) -> Any:
    """COUNT(DISTINCT value) over the rows that meet `condition` (a CASE: the others count as NULL)."""
    return func.count(func.distinct(case((condition, value))))


# The indicators' statements, built once with bound parameters (building them cost more than running
# them): `ids` the organisations; `first_day`, `start` a month's first day and instant; `now`.
# A young teacher as seed 001 counts МПм: under 35 and in the first 3 years of work (an unknown experience
# is not counted)
YOUNG_EXPERIENCE_MAX = 3
YOUNG = and_(Person.under_35.is_(True), Person.experience_years <= YOUNG_EXPERIENCE_MAX)
_MEMBER = and_(_ids(Membership.organization_id), Membership.ended_at.is_(None))


# a pair or group counts while it has a mentor: one whose mentor left waits for a new one (attention list)
_HAS_MENTOR = has_current_mentor()


_IN_PROGRAM = and_(_ids(Mentorship.organization_id), Mentorship.status == MentorshipStatus.ACTIVE, _HAS_MENTOR,
                   Participant.confirmed_at.is_not(None), Participant.left_at.is_(None),
                   Participant.declined_at.is_(None))


_LAUNCHED = and_(_ids(Survey.organization_id), Survey.status != SurveyStatus.DRAFT)


PEOPLE_BY_ROLE = (select(Membership.organization_id, Membership.role, func.count(func.distinct(Membership.person_id)))
                  .where(_MEMBER).group_by(Membership.organization_id, Membership.role))


MENTEES_BY_CATEGORY = (select(Membership.organization_id, Membership.mentee_category, func.count())
                       .where(_MEMBER, Membership.role == Role.MENTEE)
                       .group_by(Membership.organization_id, Membership.mentee_category))


REGISTERED = (select(Membership.organization_id, func.count(func.distinct(Membership.person_id)),
                     _distinct_where(YOUNG, Membership.person_id))
              .join(Person, Person.id == Membership.person_id)
              .where(_MEMBER, Membership.role.in_(TEACHER_ROLES)).group_by(Membership.organization_id))


IN_PROGRAMS = (select(Mentorship.organization_id, func.count(func.distinct(Participant.person_id)),
                      _distinct_where(and_(Participant.role == Role.MENTEE, YOUNG),
                                      Participant.person_id))
               .join(Participant, Participant.mentorship_id == Mentorship.id)
               .join(Person, Person.id == Participant.person_id)
               .where(_IN_PROGRAM).group_by(Mentorship.organization_id))


PROGRAMS_BY_STATUS = (select(Mentorship.organization_id, Mentorship.status, func.count())
                      .join(Program, Program.mentorship_id == Mentorship.id)
                      .where(_ids(Mentorship.organization_id)).group_by(Mentorship.organization_id, Mentorship.status))


ACTIVE_BY_FORM_KIND = (select(Mentorship.organization_id, Mentorship.form, Mentorship.kind, func.count())
                       .where(_ids(Mentorship.organization_id), Mentorship.status == MentorshipStatus.ACTIVE,
                              _HAS_MENTOR)
                       .group_by(Mentorship.organization_id, Mentorship.form, Mentorship.kind))


MEETINGS_MONTH = (select(Mentorship.organization_id, func.count(),
                         func.coalesce(func.sum(MeetingLog.duration_minutes), 0))
                  .join(MeetingLog, MeetingLog.mentorship_id == Mentorship.id)
                  .where(_ids(Mentorship.organization_id), MeetingLog.held_on >= bindparam("first_day"))
                  .group_by(Mentorship.organization_id))


IN_HELP_MONTH = and_(_ids(HelpRequest.organization_id), HelpRequest.created_at >= bindparam("start"))


HELP_MONTH = (select(HelpRequest.organization_id, func.count()).where(IN_HELP_MONTH)
              .group_by(HelpRequest.organization_id))


HELP_OPEN = (select(HelpRequest.organization_id,
                    func.count(case((HelpRequest.status != HelpRequestStatus.CLOSED, 1))),
                    func.count(case((and_(HelpRequest.status == HelpRequestStatus.OPEN,
                                          HelpRequest.escalate_at <= bindparam("now")), 1))))
             .where(_ids(HelpRequest.organization_id)).group_by(HelpRequest.organization_id))


SURVEYS = (select(Survey.organization_id, func.count(), func.avg(Survey.mean_score), func.count(Survey.mean_score))
           .where(_LAUNCHED).group_by(Survey.organization_id))


SURVEY_ANSWERS = (select(Survey.organization_id, func.count(),
                         func.coalesce(func.sum(case((SurveyParticipant.answered.is_(True), 1), else_=0)), 0))
                  .join(SurveyParticipant, SurveyParticipant.survey_id == Survey.id).where(_LAUNCHED)
                  .group_by(Survey.organization_id))


# completed programs' average rating at the start and at the end (self-assessments and the mentor's together)
GROWTH = (select(Mentorship.organization_id, Mentorship.id, Assessment.stage, func.avg(Assessment.score))
          .join(Assessment, Assessment.mentorship_id == Mentorship.id)
          .where(_ids(Mentorship.organization_id), Mentorship.status == MentorshipStatus.COMPLETED)
          .group_by(Mentorship.organization_id, Mentorship.id, Assessment.stage))


def _first_few(query: Any) -> Any:
    """The first rows of a list and, on each, how many the whole list has (a window over the rows
    before the LIMIT): the count and the rows in one statement."""
    return query.add_columns(func.count().over().label("total")).limit(ATTENTION_SHOWN)


# What needs attention, built once: `org`, `today`, `quiet_before` (no meeting since), `ending_by`
_ACTIVE = and_(Mentorship.organization_id == bindparam("org"), Mentorship.status == MentorshipStatus.ACTIVE)


_LAST_MEETING = (select(MeetingLog.mentorship_id, func.max(MeetingLog.held_on).label("last"))
                 .join(Mentorship, Mentorship.id == MeetingLog.mentorship_id).where(_ACTIVE)
                 .group_by(MeetingLog.mentorship_id).subquery())


OVERDUE_ITEMS = _first_few(
    select(Mentorship.id, PlanItem.activity, PlanItem.due_date)
    .join(Program, Program.mentorship_id == Mentorship.id).join(PlanItem, PlanItem.program_id == Program.id)
    .where(_ACTIVE, PlanItem.done_at.is_(None), PlanItem.due_date < bindparam("today"))
    .order_by(PlanItem.due_date, PlanItem.id))


UNANSWERED_REQUESTS = _first_few(
    select(HelpRequest.id, HelpRequest.text, HelpRequest.created_at)
    .where(HelpRequest.organization_id == bindparam("org"), HelpRequest.status == HelpRequestStatus.OPEN)
    .order_by(HelpRequest.created_at, HelpRequest.id))


QUIET_PAIRS = _first_few(
    select(Mentorship.id, _LAST_MEETING.c.last).outerjoin(_LAST_MEETING, _LAST_MEETING.c.mentorship_id == Mentorship.id)
    .where(_ACTIVE, _LAST_MEETING.c.last.is_(None) | (_LAST_MEETING.c.last < bindparam("quiet_before")))
    .order_by(Mentorship.id))


ENDING_PROGRAMS = _first_few(
    select(Mentorship.id, Program.end_date).join(Program, Program.mentorship_id == Mentorship.id)
    .where(_ACTIVE, Program.end_date >= bindparam("today"), Program.end_date <= bindparam("ending_by"))
    .order_by(Program.end_date, Mentorship.id))


WITHOUT_MENTOR = _first_few(
    select(Mentorship.id, Mentorship.started_at).where(_ACTIVE, ~_HAS_MENTOR).order_by(Mentorship.id))


# a mentee is paired while in a proposed or active pair or group; unpaired since joining, or since the
# last pair ended
_PAIRED = (select(Participant.person_id).join(Mentorship, Mentorship.id == Participant.mentorship_id)
           .where(Mentorship.organization_id == bindparam("org"),
                  Mentorship.status.in_(OPEN),
                  Participant.role == Role.MENTEE, Participant.left_at.is_(None), Participant.declined_at.is_(None)))
_LAST_PAIR_END = (select(Participant.person_id, func.max(func.coalesce(Participant.left_at, Mentorship.ended_at))
                         .label("ended")).join(Mentorship, Mentorship.id == Participant.mentorship_id)
                  .where(Mentorship.organization_id == bindparam("org"), Participant.role == Role.MENTEE)
                  .group_by(Participant.person_id).subquery())


UNPAIRED_MENTEES = _first_few(
    select(Person.id, Person.full_name, func.coalesce(_LAST_PAIR_END.c.ended, Membership.created_at).label("since"))
    .join(Membership, Membership.person_id == Person.id)
    .outerjoin(_LAST_PAIR_END, _LAST_PAIR_END.c.person_id == Person.id)
    .where(Membership.organization_id == bindparam("org"), Membership.role == Role.MENTEE,
           Membership.ended_at.is_(None), Person.erased_at.is_(None), Person.id.not_in(_PAIRED))
    .order_by(func.coalesce(_LAST_PAIR_END.c.ended, Membership.created_at), Person.id))


CANDIDATES = _first_few(
    select(Person.id, Person.full_name, Membership.created_at).join(Membership, Membership.person_id == Person.id)
    .join(Organization, Organization.id == Membership.organization_id)
    .where(Membership.organization_id == bindparam("org"), Membership.role == Role.MENTOR,
           Membership.ended_at.is_(None), Membership.approved_at.is_(None), Organization.mentor_selection.is_(True),
           Person.erased_at.is_(None)).order_by(Membership.created_at, Person.id))


AWAITING_APPROVAL = _first_few(
    select(Approval.mentorship_id, Approval.requested_at).where(
        Approval.organization_id == bindparam("org"), Approval.status == ApprovalStatus.PENDING)
    .order_by(Approval.requested_at, Approval.id))


NO_PROGRAM = _first_few(
    select(Mentorship.id, Mentorship.started_at).where(
        _ACTIVE, ~Mentorship.id.in_(select(Program.mentorship_id))).order_by(Mentorship.started_at, Mentorship.id))


UNREACHABLE = _first_few(
    select(Person.id, Person.full_name, Person.unreachable_at)
    .where(Person.unreachable_at.is_not(None), Person.erased_at.is_(None),
           Person.id.in_(select(Membership.person_id).where(Membership.organization_id == bindparam("org"),
                                                            Membership.ended_at.is_(None))))
    .order_by(Person.full_name, Person.id))


@functools.cache
def median_wait(dialect: str) -> Any:
    """Per organisation, the median seconds from a request to its first answer this month (window
    functions: the middle row, or the mean of the two middle rows); built once per database kind."""
    if dialect == "postgresql":
        wait = func.extract("epoch", HelpRequest.first_answer_at - HelpRequest.created_at)
    else:
        wait = (func.julianday(HelpRequest.first_answer_at) - func.julianday(HelpRequest.created_at)) * 86400
    ranked = select(
        HelpRequest.organization_id.label("org"), wait.label("wait"),
        func.row_number().over(partition_by=HelpRequest.organization_id, order_by=wait).label("rn"),
        func.count().over(partition_by=HelpRequest.organization_id).label("n"),
    ).where(IN_HELP_MONTH, HelpRequest.first_answer_at.is_not(None)).subquery()
    return select(ranked.c.org, func.avg(ranked.c.wait)).where(
        2 * ranked.c.rn >= ranked.c.n, 2 * ranked.c.rn <= ranked.c.n + 2).group_by(ranked.c.org)


async def week_counts(session: AsyncSession, org_id: int, week_ago: datetime, today: date) -> dict[str, int]:
    """The past seven days' changes: who joined, pairs begun and completed, meetings and their minutes,
    help requests made and closed, surveys closed."""
    async def count(query: Any) -> int:
        return int(await session.scalar(query) or 0)

    meetings, minutes = (await session.execute(select(func.count(), func.coalesce(func.sum(
        MeetingLog.duration_minutes), 0)).join(Mentorship, Mentorship.id == MeetingLog.mentorship_id).where(
        Mentorship.organization_id == org_id, MeetingLog.held_on > today - timedelta(days=7)))).one()
    return {
        "joined": await count(select(func.count(func.distinct(Membership.person_id))).where(
            Membership.organization_id == org_id, Membership.created_at >= week_ago)),
        "pairs": await count(select(func.count()).select_from(Mentorship).where(
            Mentorship.organization_id == org_id, Mentorship.started_at >= week_ago)),
        "completed": await count(select(func.count()).select_from(Mentorship).where(
            Mentorship.organization_id == org_id, Mentorship.status == MentorshipStatus.COMPLETED,
            Mentorship.ended_at >= week_ago)),
        "meetings": int(meetings), "minutes": int(minutes),
        "requests": await count(select(func.count()).select_from(HelpRequest).where(
            HelpRequest.organization_id == org_id, HelpRequest.created_at >= week_ago)),
        "closed": await count(select(func.count()).select_from(HelpRequest).where(
            HelpRequest.organization_id == org_id, HelpRequest.closed_at >= week_ago)),
        "surveys": await count(select(func.count()).select_from(Survey).where(
            Survey.organization_id == org_id, Survey.closed_at >= week_ago)),
    }


async def meetings_by_day(session: AsyncSession, org_id: int, first: date) -> dict[Any, int]:
    return dict((await session.execute(select(MeetingLog.held_on, func.count()).join(
        Mentorship, Mentorship.id == MeetingLog.mentorship_id).where(
        Mentorship.organization_id == org_id, MeetingLog.held_on >= first).group_by(MeetingLog.held_on))).all())


async def requests_by_day(session: AsyncSession, org_id: int, since: datetime) -> dict[Any, int]:
    """Help requests by the UTC day they came (a day's shift at a week's edge does not change the picture)."""
    return dict((await session.execute(select(func.date(HelpRequest.created_at), func.count()).where(
        HelpRequest.organization_id == org_id, HelpRequest.created_at >= since).group_by(
        func.date(HelpRequest.created_at)))).all())


async def with_digest(session: AsyncSession) -> Sequence[Organization]:
    """The organisations that asked for a weekly digest."""
    return (await session.scalars(select(Organization).where(Organization.digest_weekday.is_not(None)))).all()


async def mentors_capacity(session: AsyncSession, org_id: int) -> Sequence[Row]:
    """(person, capacity) of the organisation's current mentors."""
    return (await session.execute(select(Membership.person_id, Membership.capacity).join(
        Person, Person.id == Membership.person_id).where(
        Membership.organization_id == org_id, Membership.role == Role.MENTOR, Membership.ended_at.is_(None),
        Person.erased_at.is_(None)))).all()


async def all_organisations(session: AsyncSession) -> Sequence[Organization]:
    return (await session.scalars(select(Organization).order_by(Organization.id))).all()
