"""The statements the exports stream (each `yield_per` batch by batch: constant memory at any size)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, func, select, true

from db.models import (
    HelpRequest,
    MeetingLog,
    Membership,
    Mentorship,
    Participant,
    Person,
    PlanItem,
    Program,
    SignupStatus,
    SpeedSession,
    SpeedSignup,
    Survey,
    SurveyParticipant,
    SurveyStatus,
    Topic,
)


def within(column: Any, lo: Any, hi: Any) -> Any:
    """lo <= column < hi, either end open when None."""
    conditions = []
    if lo is not None:
        conditions.append(column >= lo)
    if hi is not None:
        conditions.append(column < hi)
    return and_(true(), *conditions)


def registry(org_id: int) -> Select:
    """(membership, person) of the organisation's current people, a row a role, by name."""
    return (select(Membership, Person).join(Person, Person.id == Membership.person_id).where(
        Membership.organization_id == org_id, Membership.ended_at.is_(None), Person.erased_at.is_(None))
        .order_by(Person.search_name, Person.id, Membership.id))


def participants(org_id: int) -> Select:
    """(pair, role, name) of the current participants of the organisation's pairs and groups."""
    return (select(Participant.mentorship_id, Participant.role, Person.full_name).join(
        Person, Person.id == Participant.person_id).join(Mentorship, Mentorship.id == Participant.mentorship_id).where(
        Mentorship.organization_id == org_id, Participant.left_at.is_(None), Participant.declined_at.is_(None))
        .order_by(Participant.id))


def pairs(org_id: int) -> Select:
    return select(Mentorship).where(Mentorship.organization_id == org_id).order_by(Mentorship.id)


def programs(org_id: int) -> Select:
    return (select(Program).join(Mentorship, Mentorship.id == Program.mentorship_id).where(
        Mentorship.organization_id == org_id).order_by(Program.id))


def plan_items(org_id: int) -> Select:
    """(pair, plan item) of every program of the organisation, by pair and due date."""
    return (select(Program.mentorship_id, PlanItem).join(PlanItem, PlanItem.program_id == Program.id)
            .join(Mentorship, Mentorship.id == Program.mentorship_id).where(Mentorship.organization_id == org_id)
            .order_by(Program.mentorship_id, PlanItem.due_date, PlanItem.id))


def meetings(org_id: int, start: Any, end: Any) -> Select:
    return (select(MeetingLog).join(Mentorship, Mentorship.id == MeetingLog.mentorship_id)
            .where(Mentorship.organization_id == org_id, within(MeetingLog.held_on, start, end))
            .order_by(MeetingLog.held_on, MeetingLog.id))


def help_requests(org_id: int, lo: Any, hi: Any) -> Select:
    """(request, topic, mentee's name, mentor's name) made in the period."""
    mentee, mentor = Person.__table__.alias("mentee"), Person.__table__.alias("mentor")
    return (select(HelpRequest, Topic.title, mentee.c.full_name, mentor.c.full_name)
            .outerjoin(Topic, Topic.id == HelpRequest.topic_id)
            .outerjoin(mentee, mentee.c.id == HelpRequest.mentee_id)
            .outerjoin(mentor, mentor.c.id == HelpRequest.mentor_id)
            .where(HelpRequest.organization_id == org_id, within(HelpRequest.created_at, lo, hi))
            .order_by(HelpRequest.created_at, HelpRequest.id))


def speed_sessions(org_id: int, lo: Any, hi: Any) -> Select:
    """(session, host's name, registered, attended, mean feedback) starting in the period."""
    signups = select(SpeedSignup.session_id, func.count().label("registered"),
                     func.sum(case((SpeedSignup.attended.is_(True), 1), else_=0)).label("came"),
                     func.avg(SpeedSignup.feedback).label("feedback")).where(
        SpeedSignup.status == SignupStatus.REGISTERED).group_by(SpeedSignup.session_id).subquery()
    return (select(SpeedSession, Person.full_name, signups.c.registered, signups.c.came, signups.c.feedback)
            .outerjoin(Person, Person.id == SpeedSession.host_id)
            .outerjoin(signups, signups.c.session_id == SpeedSession.id)
            .where(SpeedSession.organization_id == org_id, within(SpeedSession.starts_at, lo, hi))
            .order_by(SpeedSession.starts_at))


def surveys(org_id: int, lo: Any, hi: Any) -> Select:
    """(survey, invited, answered) of the launched surveys due in the period."""
    answered = select(SurveyParticipant.survey_id, func.count().label("invited"), func.sum(
        case((SurveyParticipant.answered.is_(True), 1), else_=0)).label("answered")).group_by(
        SurveyParticipant.survey_id).subquery()
    return (select(Survey, answered.c.invited, answered.c.answered)
            .outerjoin(answered, answered.c.survey_id == Survey.id)
            .where(Survey.organization_id == org_id, Survey.status != SurveyStatus.DRAFT,
                   within(Survey.deadline, lo, hi)).order_by(Survey.deadline))
