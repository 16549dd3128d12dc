"""The reads of speed sessions: sessions, sign-ups and the people they concern."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Membership,
    MembershipTopic,
    MenteeCategory,
    Organization,
    Person,
    Role,
    SignupStatus,
    SpeedSession,
    SpeedSessionStatus,
    SpeedSignup,
    Topic,
)


async def addressed_people(session: AsyncSession, org_ids: list[int], audience: str) -> list[Person]:
    """The organisation's current members an announcement goes to: all mentees, a category or a difficulty
    of them, the mentors, or everyone who learns (mentees and mentors)."""
    roles = {"mentors": (Role.MENTOR,), "everyone": (Role.MENTEE, Role.MENTOR)}.get(audience, (Role.MENTEE,))
    query = select(Person).join(Membership, Membership.person_id == Person.id).where(
        Membership.organization_id.in_(org_ids), Membership.role.in_(roles), Membership.ended_at.is_(None),
        Person.erased_at.is_(None))
    kind, _, value = audience.partition(".")
    if kind == "category":
        query = query.where(Membership.mentee_category == MenteeCategory(value))
    elif kind == "topic":
        query = query.where(Membership.id.in_(select(MembershipTopic.membership_id).where(
            MembershipTopic.topic_id == int(value))))
    return list((await session.scalars(query.distinct())).all())


async def catalogue(session: AsyncSession, org_id: int) -> list[tuple[int, str]]:
    """The difficulties a session's audience may be chosen by (the retired ones are offered no more)."""
    rows = await session.execute(select(Topic.id, Topic.title).where(
        Topic.organization_id == org_id, Topic.archived.is_(False)).order_by(Topic.position))
    return [(topic_id, title) for topic_id, title in rows]


async def is_topic_of(session: AsyncSession, topic_id: int, org_id: int) -> bool:
    return await session.scalar(select(Topic.id).where(Topic.id == topic_id, Topic.organization_id == org_id)) \
        is not None


async def signups_with_names(session: AsyncSession, session_id: int) -> Sequence[Row]:
    """(sign-up, the person's name) in the order they signed up."""
    return (await session.execute(select(SpeedSignup, Person.full_name).join(
        Person, Person.id == SpeedSignup.person_id).where(SpeedSignup.session_id == session_id)
        .order_by(SpeedSignup.signed_at, SpeedSignup.id))).all()


async def upcoming_in(session: AsyncSession, org_ids: list[int], now: datetime) -> Sequence[Row]:
    """(session, its organisation's zone) scheduled in these organisations, from 12 hours ago, the first 20."""
    return (await session.execute(select(SpeedSession, Organization.timezone).join(
        Organization, Organization.id == SpeedSession.organization_id).where(
        SpeedSession.organization_id.in_(org_ids), SpeedSession.status == SpeedSessionStatus.SCHEDULED,
        SpeedSession.starts_at > now - timedelta(hours=12)).order_by(SpeedSession.starts_at).limit(20))).all()


async def signup_of(session: AsyncSession, session_id: int, person_id: int, *,
                    registered: bool = False) -> SpeedSignup | None:
    query = select(SpeedSignup).where(SpeedSignup.session_id == session_id, SpeedSignup.person_id == person_id)
    if registered:
        query = query.where(SpeedSignup.status == SignupStatus.REGISTERED)
    return await session.scalar(query)


async def registered_count(session: AsyncSession, session_id: int) -> int:
    return await session.scalar(select(func.count()).select_from(SpeedSignup).where(
        SpeedSignup.session_id == session_id, SpeedSignup.status == SignupStatus.REGISTERED)) or 0


async def first_waiting(session: AsyncSession, session_id: int) -> SpeedSignup | None:
    return await session.scalar(select(SpeedSignup).where(
        SpeedSignup.session_id == session_id, SpeedSignup.status == SignupStatus.WAITLIST)
        .order_by(SpeedSignup.signed_at, SpeedSignup.id).limit(1))


async def registered_signups(session: AsyncSession, session_id: int) -> Sequence[SpeedSignup]:
    return (await session.scalars(select(SpeedSignup).where(
        SpeedSignup.session_id == session_id, SpeedSignup.status == SignupStatus.REGISTERED))).all()


async def signed_people(session: AsyncSession, session_id: int, *, registered_only: bool = False) -> list[Person]:
    """Who signed up and did not cancel (registered or waiting), or only the registered."""
    condition = (SpeedSignup.status == SignupStatus.REGISTERED if registered_only
                 else SpeedSignup.status != SignupStatus.CANCELLED)
    return list((await session.scalars(select(Person).join(SpeedSignup, SpeedSignup.person_id == Person.id).where(
        SpeedSignup.session_id == session_id, condition))).all())


async def starting_within_a_day(session: AsyncSession, now: datetime) -> Sequence[Row]:
    """(session, its organisation's zone) scheduled to start in the next 24 hours."""
    return (await session.execute(select(SpeedSession, Organization.timezone).join(
        Organization, Organization.id == SpeedSession.organization_id).where(
        SpeedSession.status == SpeedSessionStatus.SCHEDULED, SpeedSession.starts_at > now,
        SpeedSession.starts_at <= now + timedelta(days=1)))).all()
