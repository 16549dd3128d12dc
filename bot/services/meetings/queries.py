"""The statements of meetings planned ahead."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import Row, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    MeetingAnswer,
    Mentorship,
    MentorshipStatus,
    Participant,
    PlanItem,
    PlannedMeeting,
    PlannedMeetingStatus,
    Program,
)

OPEN = (PlannedMeetingStatus.PROPOSED, PlannedMeetingStatus.ACCEPTED)


async def active_pairs_of(session: AsyncSession, person_id: int) -> list[int]:
    """The active mentorships the person is a current participant of, newest first."""
    return list((await session.scalars(select(Mentorship.id)
                                       .join(Participant, Participant.mentorship_id == Mentorship.id)
                                       .where(Participant.person_id == person_id, Participant.left_at.is_(None),
                                              Participant.declined_at.is_(None),
                                              Mentorship.status == MentorshipStatus.ACTIVE)
                                       .order_by(Mentorship.id.desc()))).all())


async def open_items(session: AsyncSession, mentorship_id: int) -> Sequence[Row]:
    """(id, activity) of the program's items not done yet, by deadline."""
    return (await session.execute(select(PlanItem.id, PlanItem.activity)
                                  .join(Program, Program.id == PlanItem.program_id)
                                  .where(Program.mentorship_id == mentorship_id, PlanItem.done_at.is_(None))
                                  .order_by(PlanItem.due_date, PlanItem.id))).all()


async def program_end(session: AsyncSession, mentorship_id: int) -> date | None:
    return await session.scalar(select(Program.end_date).where(Program.mentorship_id == mentorship_id))


async def item_activity(session: AsyncSession, item_id: int | None) -> str | None:
    if item_id is None:
        return None
    return await session.scalar(select(PlanItem.activity).where(PlanItem.id == item_id))


async def series(session: AsyncSession, head_id: int) -> Sequence[PlannedMeeting]:
    """A meeting, or a series' every occurrence, first to last."""
    return (await session.scalars(select(PlannedMeeting).where(
        or_(PlannedMeeting.id == head_id, PlannedMeeting.series_id == head_id))
        .order_by(PlannedMeeting.starts_at))).all()


async def answers(session: AsyncSession, meeting_id: int) -> Sequence[MeetingAnswer]:
    return (await session.scalars(select(MeetingAnswer).where(MeetingAnswer.meeting_id == meeting_id)
                                  .order_by(MeetingAnswer.id))).all()


async def drop_answers(session: AsyncSession, meeting_id: int) -> None:
    await session.execute(delete(MeetingAnswer).where(MeetingAnswer.meeting_id == meeting_id))


async def upcoming_for(session: AsyncSession, person_id: int, since: datetime, limit: int) -> Sequence[PlannedMeeting]:
    """The person's open meetings from `since` on, soonest first: a series shows its occurrences."""
    mine = select(Participant.mentorship_id).where(Participant.person_id == person_id, Participant.left_at.is_(None),
                                                   Participant.declined_at.is_(None))
    return (await session.scalars(select(PlannedMeeting).join(Mentorship, Mentorship.id == PlannedMeeting.mentorship_id)
                                  .where(PlannedMeeting.mentorship_id.in_(mine), PlannedMeeting.status.in_(OPEN),
                                         PlannedMeeting.starts_at >= since,
                                         Mentorship.status == MentorshipStatus.ACTIVE)
                                  .order_by(PlannedMeeting.starts_at, PlannedMeeting.id).limit(limit))).all()


async def to_remind(session: AsyncSession, now: datetime) -> Sequence[PlannedMeeting]:
    """Accepted meetings starting within a day that have not had their last reminder."""
    return (await session.scalars(select(PlannedMeeting).join(Mentorship, Mentorship.id == PlannedMeeting.mentorship_id)
                                  .where(PlannedMeeting.status == PlannedMeetingStatus.ACCEPTED,
                                         PlannedMeeting.starts_at > now,
                                         PlannedMeeting.starts_at <= now + timedelta(days=1),
                                         PlannedMeeting.reminded_hour_at.is_(None),
                                         Mentorship.status == MentorshipStatus.ACTIVE))).all()


async def ended_unasked(session: AsyncSession, now: datetime) -> Sequence[PlannedMeeting]:
    """Accepted meetings that have begun (the caller checks they are over) and whose mentor was not asked."""
    return (await session.scalars(select(PlannedMeeting).where(
        PlannedMeeting.status == PlannedMeetingStatus.ACCEPTED, PlannedMeeting.starts_at <= now,
        PlannedMeeting.asked_held_at.is_(None)))).all()


async def counts(session: AsyncSession, org_id: int, first: datetime, last: datetime, now: datetime) -> tuple[int, int]:
    """(meetings accepted or proposed that start within [first, last), meetings agreed that are over and
    were neither recorded nor marked as not held) for the organisation's active pairs."""
    base = select(func.count()).select_from(PlannedMeeting).join(
        Mentorship, Mentorship.id == PlannedMeeting.mentorship_id).where(
        Mentorship.organization_id == org_id, Mentorship.status == MentorshipStatus.ACTIVE)
    planned = await session.scalar(base.where(PlannedMeeting.status.in_(OPEN), PlannedMeeting.starts_at >= first,
                                              PlannedMeeting.starts_at < last))
    not_held = await session.scalar(base.where(PlannedMeeting.status == PlannedMeetingStatus.ACCEPTED,
                                               PlannedMeeting.starts_at < now - timedelta(hours=12)))
    return planned or 0, not_held or 0
