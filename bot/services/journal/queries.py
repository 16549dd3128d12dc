"""The reads of the meeting journal: statements built once at import, and the queries the service runs."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Integer, Row, Subquery, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    MeetingConfirmation,
    MeetingLog,
    Mentorship,
    MentorshipStatus,
    Organization,
    Participant,
    PlanItem,
    Role,
)

PAGE = 5


# /journal's statements, built once (building them cost more than running them). A page is one
# statement: its meetings with the journal's totals (window functions, counted before the LIMIT) and
# each meeting's confirmations counted; the comments are read only when a meeting on the page has any.
_PAIR = bindparam("mentorship_id", type_=MeetingLog.mentorship_id.type)


JOURNAL_TOTALS = select(func.count(), func.coalesce(func.sum(MeetingLog.duration_minutes), 0)).where(
    MeetingLog.mentorship_id == _PAIR)


def _confirmations(*conditions: Any) -> Any:
    return (select(func.count(MeetingConfirmation.id))
            .where(MeetingConfirmation.meeting_id == MeetingLog.id, *conditions).scalar_subquery())


JOURNAL_PAGE = (select(MeetingLog.id, MeetingLog.held_on, MeetingLog.duration_minutes, MeetingLog.format,
                       MeetingLog.channel, MeetingLog.topic, MeetingLog.summary, MeetingLog.next_steps,
                       PlanItem.activity, func.count().over().label("total"),
                       func.sum(MeetingLog.duration_minutes).over().label("minutes"),
                       _confirmations().label("asked"),
                       _confirmations(MeetingConfirmation.confirmed_at.is_not(None)).label("confirmed"),
                       _confirmations(MeetingConfirmation.comment.is_not(None)).label("commented"))
                .outerjoin(PlanItem, PlanItem.id == MeetingLog.plan_item_id)
                .where(MeetingLog.mentorship_id == _PAIR)
                .order_by(MeetingLog.held_on.desc(), MeetingLog.id.desc())
                .offset(bindparam("offset", type_=Integer)).limit(PAGE))


async def meetings_between(session: AsyncSession, mentorship_id: int, first: date, last: date) -> Sequence[Row]:
    """A pair's meetings held within the period, oldest first, with their confirmations counted."""
    return (await session.execute(
        select(MeetingLog.held_on, MeetingLog.duration_minutes, MeetingLog.format, MeetingLog.topic,
               MeetingLog.summary, PlanItem.activity, _confirmations().label("asked"),
               _confirmations(MeetingConfirmation.confirmed_at.is_not(None)).label("confirmed"))
        .outerjoin(PlanItem, PlanItem.id == MeetingLog.plan_item_id)
        .where(MeetingLog.mentorship_id == mentorship_id, MeetingLog.held_on >= first, MeetingLog.held_on <= last)
        .order_by(MeetingLog.held_on, MeetingLog.id))).all()


JOURNAL_COMMENTS = (select(MeetingConfirmation.meeting_id, MeetingConfirmation.comment)
                    .where(MeetingConfirmation.meeting_id.in_(bindparam("ids", expanding=True)),
                           MeetingConfirmation.comment.is_not(None))
                    .order_by(MeetingConfirmation.id))


def mentored_by(person_id: int | None) -> Subquery:
    """The active pairs and groups where the person is the confirmed current mentor (a subquery of ids)."""
    return select(Participant.mentorship_id.label("id")).join(Mentorship).where(
        Participant.person_id == person_id, Participant.role == Role.MENTOR, Participant.left_at.is_(None),
        Participant.declined_at.is_(None), Participant.confirmed_at.is_not(None),
        Mentorship.status == MentorshipStatus.ACTIVE).subquery()


async def confirmation_of(session: AsyncSession, meeting_id: int, person_id: int | None) -> MeetingConfirmation | None:
    return await session.scalar(select(MeetingConfirmation).where(
        MeetingConfirmation.meeting_id == meeting_id, MeetingConfirmation.person_id == person_id))


async def quiet_since(session: AsyncSession, org_id: int, since: date) -> Sequence[Row]:
    """(pair id, its last meeting or None) of the organisation's active pairs and groups with no meeting since."""
    last = select(MeetingLog.mentorship_id, func.max(MeetingLog.held_on).label("last")).group_by(
        MeetingLog.mentorship_id).subquery()
    return (await session.execute(
        select(Mentorship.id, last.c.last).outerjoin(last, last.c.mentorship_id == Mentorship.id).where(
            Mentorship.organization_id == org_id, Mentorship.status == MentorshipStatus.ACTIVE,
            (last.c.last.is_(None)) | (last.c.last < since)).order_by(Mentorship.id))).all()


async def quiet_everywhere(session: AsyncSession, before: date) -> Sequence[Row]:
    """(pair id, its last meeting or None, when it started, its zone) of every active pair and group whose
    last meeting, or start when it has none, is before `before`."""
    last = select(MeetingLog.mentorship_id, func.max(MeetingLog.held_on).label("last")).group_by(
        MeetingLog.mentorship_id).subquery()
    return (await session.execute(
        select(Mentorship.id, last.c.last, Mentorship.started_at, Organization.timezone)
        .outerjoin(last, last.c.mentorship_id == Mentorship.id)
        .join(Organization, Organization.id == Mentorship.organization_id)
        .where(Mentorship.status == MentorshipStatus.ACTIVE,
               last.c.last.is_(None) | (last.c.last < before)).order_by(Mentorship.id))).all()


async def zone_of_pair(session: AsyncSession, mentorship_id: int) -> str:
    """The time zone of the pair's organisation, in which its meetings are dated."""
    zone = await session.scalar(select(Organization.timezone).join(
        Mentorship, Mentorship.organization_id == Organization.id).where(Mentorship.id == mentorship_id))
    return zone or "UTC"
