"""The statements of documents."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    HelpRequest,
    MeetingConfirmation,
    MeetingLog,
    Membership,
    Mentorship,
    MentorshipStatus,
    MentorTraining,
    Participant,
    Person,
    Program,
    RoadmapEntry,
    Role,
    SpeedSession,
    SpeedSessionStatus,
)


async def approved_pairs(session: AsyncSession, org_id: int, first: date, last: date,
                         kind: ApprovalKind = ApprovalKind.PAIR) -> Sequence[Approval]:
    """The pairs and groups (or replacements) approved by orders dated within the period, in the orders' order."""
    return (await session.scalars(select(Approval).where(
        Approval.organization_id == org_id, Approval.kind == kind,
        Approval.status == ApprovalStatus.APPROVED, Approval.order_date >= first, Approval.order_date <= last)
        .order_by(Approval.order_date, Approval.order_seq, Approval.id))).all()


async def programs_of(session: AsyncSession, org_id: int) -> Sequence[int]:
    """The organisation's pairs and groups that have a program, oldest first."""
    return (await session.scalars(select(Mentorship.id).join(Program, Program.mentorship_id == Mentorship.id)
                                  .where(Mentorship.organization_id == org_id).order_by(Mentorship.id))).all()


async def mentor_meetings(session: AsyncSession, person_id: int, org_id: int) -> Row:
    """(meetings, minutes) the person logged as a mentor and a mentee confirmed."""
    confirmed = select(MeetingConfirmation.meeting_id).where(MeetingConfirmation.confirmed_at.is_not(None))
    return (await session.execute(select(func.count(), func.coalesce(func.sum(MeetingLog.duration_minutes), 0))
                                  .join(Mentorship, Mentorship.id == MeetingLog.mentorship_id).where(
        Mentorship.organization_id == org_id, MeetingLog.logged_by_id == person_id,
        MeetingLog.id.in_(confirmed)))).one()


async def mentored_completed(session: AsyncSession, person_id: int, org_id: int) -> Sequence[int]:
    """The completed pairs and groups the person mentored to the end."""
    return (await session.scalars(select(Mentorship.id).join(Participant, Participant.mentorship_id == Mentorship.id)
                                  .where(Mentorship.organization_id == org_id,
                                         Mentorship.status == MentorshipStatus.COMPLETED,
                                         Participant.person_id == person_id, Participant.role == Role.MENTOR,
                                         Participant.confirmed_at.is_not(None), Participant.left_at.is_(None))
                                  .order_by(Mentorship.ended_at, Mentorship.id))).all()


async def answered_requests(session: AsyncSession, person_id: int, org_id: int) -> Row:
    """(requests answered, how many were rated, the mean rating)."""
    return (await session.execute(select(func.count(), func.count(HelpRequest.rating), func.avg(HelpRequest.rating))
                                  .where(HelpRequest.organization_id == org_id, HelpRequest.mentor_id == person_id,
                                         HelpRequest.first_answer_at.is_not(None)))).one()


async def hosted_sessions(session: AsyncSession, person_id: int, org_id: int) -> int:
    return await session.scalar(select(func.count()).select_from(SpeedSession).where(
        SpeedSession.organization_id == org_id, SpeedSession.host_id == person_id,
        SpeedSession.status == SpeedSessionStatus.DONE)) or 0


async def mentors_of(session: AsyncSession, org_id: int) -> Sequence[Row]:
    """(person, name) of the organisation's current mentors, by name."""
    return (await session.execute(select(Person.id, Person.full_name)
                                  .join(Membership, Membership.person_id == Person.id)
                                  .where(Membership.organization_id == org_id, Membership.role == Role.MENTOR,
                                         Membership.ended_at.is_(None), Person.erased_at.is_(None))
                                  .order_by(Person.full_name))).all()


async def roadmap_entries(session: AsyncSession, org_id: int, year: int) -> Sequence[RoadmapEntry]:
    return (await session.scalars(select(RoadmapEntry).where(
        RoadmapEntry.organization_id == org_id, RoadmapEntry.school_year == year))).all()


async def roadmap_entry(session: AsyncSession, org_id: int, year: int, stage: int) -> RoadmapEntry | None:
    return await session.scalar(select(RoadmapEntry).where(
        RoadmapEntry.organization_id == org_id, RoadmapEntry.school_year == year, RoadmapEntry.stage == stage))


async def names_in_role(session: AsyncSession, org_id: int, role: Role) -> list[str]:
    return [name or "—" for name in (await session.scalars(select(Person.full_name).join(
        Membership, Membership.person_id == Person.id).where(
        Membership.organization_id == org_id, Membership.role == role, Membership.ended_at.is_(None),
        Person.erased_at.is_(None)).order_by(Person.full_name))).all()]


async def roadmap_facts(session: AsyncSession, org_id: int) -> dict[str, int]:
    """What the road map's results say: the banks, the admitted and trained mentors, the pairs, meetings."""
    def members(role: Role, *extra) -> Any:
        return select(func.count()).select_from(Membership).where(
            Membership.organization_id == org_id, Membership.role == role, Membership.ended_at.is_(None), *extra)

    def pairs(*statuses: MentorshipStatus) -> Any:
        return select(func.count()).select_from(Mentorship).where(
            Mentorship.organization_id == org_id, Mentorship.status.in_(statuses))

    facts = {
        "mentees": members(Role.MENTEE), "mentors": members(Role.MENTOR),
        "admitted": members(Role.MENTOR, Membership.approved_at.is_not(None)),
        "trainings": select(func.count()).select_from(MentorTraining).where(MentorTraining.organization_id == org_id),
        "pairs": pairs(MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED, MentorshipStatus.COMPLETED),
        "active": pairs(MentorshipStatus.ACTIVE),
        "completed": pairs(MentorshipStatus.COMPLETED),
        "meetings": select(func.count()).select_from(MeetingLog).join(
            Mentorship, Mentorship.id == MeetingLog.mentorship_id).where(Mentorship.organization_id == org_id),
    }
    return {key: await session.scalar(statement) or 0 for key, statement in facts.items()}


async def participants_of(session: AsyncSession, mentorship_id: int) -> Sequence[Row]:
    """(role, name, position, subject, years of experience) of the pair's current participants, the mentor
    first, then in the order they joined: the participants' table of the program."""
    return (await session.execute(select(Participant.role, Person.full_name, Person.position, Person.subject,
                                         Person.experience_years)
                                  .join(Person, Person.id == Participant.person_id)
                                  .where(Participant.mentorship_id == mentorship_id, Participant.left_at.is_(None))
                                  .order_by(Participant.role != Role.MENTOR, Participant.id))).all()
