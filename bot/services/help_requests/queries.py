"""The reads and the claim of help requests: statements built once at import, and the queries the
service runs."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, Select, and_, bindparam, case, func, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import (
    HelpRequest,
    HelpRequestStatus,
    Membership,
    MembershipTopic,
    Mentorship,
    MentorshipStatus,
    Notification,
    Organization,
    Participant,
    Person,
    Role,
    Topic,
)

MAX_OFFERS = 20


def _own_mentor_statement() -> Select:
    """The confirmed current mentor of an active pair or group where `person_id` is a current mentee,
    in `org_id`: the first such pair (by id). Built once."""
    mentee, mentor = aliased(Participant), aliased(Participant)
    return (select(Person.id, Person.telegram_id, Person.locale)
            .select_from(mentee)
            .join(Mentorship, Mentorship.id == mentee.mentorship_id)
            .join(mentor, and_(mentor.mentorship_id == Mentorship.id, mentor.role == Role.MENTOR,
                               mentor.left_at.is_(None), mentor.declined_at.is_(None), mentor.confirmed_at.is_not(None)))
            .join(Person, Person.id == mentor.person_id)
            .where(Mentorship.organization_id == bindparam("org_id", type_=Mentorship.organization_id.type),
                   Mentorship.status == MentorshipStatus.ACTIVE,
                   mentee.person_id == bindparam("person_id", type_=Participant.person_id.type),
                   mentee.role == Role.MENTEE, mentee.left_at.is_(None), mentee.declined_at.is_(None))
            .order_by(Mentorship.id).limit(1))


OWN_MENTOR = _own_mentor_statement()


# what a request needs to know of its organisation, its author and its topic, in one row (the topic's
# title is NULL when there is none, or when it is not this organisation's)
REQUEST_CONTEXT = (select(Organization.help_escalation_hours, Organization.timezone, Person.full_name,
                          select(Topic.title).where(Topic.id == bindparam("topic_id", type_=Topic.id.type),
                                                    Topic.organization_id == Organization.id)
                          .scalar_subquery().label("topic"))
                   .select_from(Organization).join(Person, true())  # one row each: no cartesian product
                   .where(Organization.id == bindparam("org_id", type_=Organization.id.type),
                          Person.id == bindparam("person_id", type_=Person.id.type)))


IN_PROGRESS = (select(HelpRequest.id, HelpRequest.mentee_id, HelpRequest.mentor_id, Person.full_name)
               .join(Person, Person.id == case(
                   (HelpRequest.mentee_id == bindparam("person_id", type_=HelpRequest.mentee_id.type),
                    HelpRequest.mentor_id), else_=HelpRequest.mentee_id))
               .where(HelpRequest.status == HelpRequestStatus.TAKEN,
                      (HelpRequest.mentee_id == bindparam("person_id")) | (HelpRequest.mentor_id == bindparam("person_id")))
               .order_by(HelpRequest.taken_at.desc(), HelpRequest.id.desc()).limit(MAX_OFFERS))


async def catalogue(session: AsyncSession, org_id: int) -> list[tuple[int, str]]:
    """The organisation's difficulties a request may be about (not the archived ones)."""
    rows = await session.execute(select(Topic.id, Topic.title).where(
        Topic.organization_id == org_id, Topic.archived.is_(False)).order_by(Topic.position))
    return [(topic_id, title) for topic_id, title in rows]


async def pool_candidates(session: AsyncSession, org_id: int, topic_id: int | None, exclude: int) -> Sequence[Row]:
    """(mentor, capacity) of the organisation's reachable mentors with the topic among their competencies."""
    query = select(Person, Membership.capacity).join(Membership, Membership.person_id == Person.id).where(
        Membership.organization_id == org_id, Membership.role == Role.MENTOR, Membership.ended_at.is_(None),
        Person.erased_at.is_(None), Person.unreachable_at.is_(None), Person.telegram_id.is_not(None),
        Person.id != exclude)
    if topic_id is not None:
        query = query.where(Membership.id.in_(
            select(MembershipTopic.membership_id).where(MembershipTopic.topic_id == topic_id)))
    return (await session.execute(query.order_by(Person.id))).all()


async def beyond_candidates(session: AsyncSession, org_ids: Sequence[int], topic_title: str | None,
                            exclude: int) -> Sequence[Row]:
    """(mentor, capacity, organisation id) of the reachable mentors of these organisations who help beyond
    their school, with a competence of the same title in their own organisation's catalogue (any, without
    a topic)."""
    query = select(Person, Membership.capacity, Membership.organization_id).join(
        Membership, Membership.person_id == Person.id).where(
        Membership.organization_id.in_(list(org_ids)), Membership.role == Role.MENTOR, Membership.ended_at.is_(None),
        Membership.beyond_school.is_(True), Membership.absent_since.is_(None), Person.erased_at.is_(None),
        Person.unreachable_at.is_(None), Person.telegram_id.is_not(None), Person.id != exclude)
    if topic_title is not None:
        query = query.where(Membership.id.in_(
            select(MembershipTopic.membership_id).join(Topic, Topic.id == MembershipTopic.topic_id)
            .where(Topic.title == topic_title)))  # the same words: SQLite's lower() knows no Cyrillic
    return (await session.execute(query.order_by(Person.id))).all()


async def was_offered(session: AsyncSession, offer_key: str) -> bool:
    return await session.scalar(select(Notification.id).where(Notification.dedup_key == offer_key)) is not None


async def claim(session: AsyncSession, request_id: int, mentor_id: int | None, now: datetime) -> bool:
    """Take an open request for the mentor: one statement, so that of two mentors racing exactly one wins."""
    result = await session.execute(
        update(HelpRequest).where(HelpRequest.id == request_id, HelpRequest.status == HelpRequestStatus.OPEN)
        .values(status=HelpRequestStatus.TAKEN, mentor_id=mentor_id, taken_at=now))
    return (result.rowcount or 0) == 1


async def other_offers(session: AsyncSession, request_id: int, kept_key: str) -> Sequence[Notification]:
    """The request's offers to the other mentors (all but `kept_key`)."""
    return (await session.scalars(select(Notification).where(
        Notification.dedup_key.like(f"help:{request_id}:offer:%"), Notification.dedup_key != kept_key))).all()


async def locales_of(session: AsyncSession, person_ids: list[int]) -> dict[int, str | None]:
    if not person_ids:
        return {}
    return dict((await session.execute(select(Person.id, Person.locale).where(Person.id.in_(person_ids)))).all())


async def unfinished_of(session: AsyncSession, person_id: int, org_id: int | None) -> Sequence[HelpRequest]:
    """The person's requests not closed, as mentee or as mentor (in one organisation, or everywhere)."""
    query = select(HelpRequest).where(HelpRequest.status != HelpRequestStatus.CLOSED,
                                      (HelpRequest.mentee_id == person_id) | (HelpRequest.mentor_id == person_id))
    if org_id is not None:
        query = query.where(HelpRequest.organization_id == org_id)
    return (await session.scalars(query)).all()


async def offered_to(session: AsyncSession, person_id: int | None) -> set[int]:
    """The ids of the requests ever offered to this mentor (their outbox offers)."""
    keys = await session.scalars(select(Notification.dedup_key).where(
        Notification.person_id == person_id, Notification.dedup_key.like("help:%:offer:%")))
    return {int(key.split(":")[1]) for key in keys.all()}


async def mentor_lines(session: AsyncSession, person_id: int | None, offered_ids: set[int]) -> Sequence[Row]:
    """(request, mentee's name): open ones offered to the mentor and those they took, newest first, 15."""
    return (await session.execute(
        select(HelpRequest, Person.full_name).join(Person, Person.id == HelpRequest.mentee_id).where(
            ((HelpRequest.status == HelpRequestStatus.OPEN) & HelpRequest.id.in_(offered_ids))
            | (HelpRequest.mentor_id == person_id))
        .order_by(HelpRequest.created_at.desc()).limit(15))).all()


async def counts_by_status(session: AsyncSession, org_id: int) -> dict[HelpRequestStatus, int]:
    return dict((await session.execute(
        select(HelpRequest.status, func.count()).where(HelpRequest.organization_id == org_id)
        .group_by(HelpRequest.status))).all())


async def answer_times(session: AsyncSession, org_id: int) -> Sequence[Row]:
    """(created, first answered) of the organisation's answered requests."""
    return (await session.execute(select(HelpRequest.created_at, HelpRequest.first_answer_at).where(
        HelpRequest.organization_id == org_id, HelpRequest.first_answer_at.is_not(None)))).all()


async def mean_rating(session: AsyncSession, org_id: int) -> float | None:
    mean = await session.scalar(select(func.avg(HelpRequest.rating)).where(
        HelpRequest.organization_id == org_id, HelpRequest.rating.is_not(None)))
    return float(mean) if mean is not None else None


async def overdue_in(session: AsyncSession, org_id: int, now: datetime) -> Sequence[Row]:
    """(request, mentee's name) still open past their deadline, oldest first."""
    return (await session.execute(
        select(HelpRequest, Person.full_name).join(Person, Person.id == HelpRequest.mentee_id).where(
            HelpRequest.organization_id == org_id, HelpRequest.status == HelpRequestStatus.OPEN,
            HelpRequest.escalate_at <= now).order_by(HelpRequest.created_at))).all()


async def due_for_escalation(session: AsyncSession, now: datetime) -> Sequence[HelpRequest]:
    return (await session.scalars(select(HelpRequest).where(
        HelpRequest.status == HelpRequestStatus.OPEN, HelpRequest.escalated_at.is_(None),
        HelpRequest.escalate_at <= now))).all()


async def taken_unanswered(session: AsyncSession) -> Sequence[Row]:
    """(request, organisation) taken, not answered, its mentor not reminded yet."""
    return (await session.execute(
        select(HelpRequest, Organization).join(Organization, Organization.id == HelpRequest.organization_id).where(
            HelpRequest.status == HelpRequestStatus.TAKEN, HelpRequest.first_answer_at.is_(None),
            HelpRequest.reminded_at.is_(None)))).all()
