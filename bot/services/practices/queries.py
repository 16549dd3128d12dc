"""The statements of the best-practice bank."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Mentorship,
    MentorshipStatus,
    Organization,
    Participant,
    Practice,
    PracticeFile,
    PracticeStatus,
    Role,
    Topic,
)

SHOWN = (PracticeStatus.APPROVED, PracticeStatus.FEATURED)


async def topics_of(session: AsyncSession, org_id: int) -> list[tuple[int, str]]:
    rows = await session.execute(select(Topic.id, Topic.title).where(
        Topic.organization_id == org_id, Topic.archived.is_(False)).order_by(Topic.position))
    return [(topic_id, title) for topic_id, title in rows]


async def completed_programs(session: AsyncSession, org_id: int, mentor_id: int | None) -> list[int]:
    """The organisation's completed pairs and groups (only those the person mentored, given `mentor_id`)."""
    query = select(Mentorship.id).where(Mentorship.organization_id == org_id,
                                        Mentorship.status == MentorshipStatus.COMPLETED)
    if mentor_id is not None:
        query = query.where(Mentorship.id.in_(select(Participant.mentorship_id).where(
            Participant.person_id == mentor_id, Participant.role == Role.MENTOR)))
    return list((await session.scalars(query.order_by(Mentorship.id.desc()).limit(20))).all())


async def visible(session: AsyncSession, own: Sequence[int], region: Sequence[int], words: Sequence[str],
                  topic_title: str | None, limit: int) -> Sequence[Row]:
    """(practice, organisation name, topic title): approved or featured in the reader's own organisations,
    featured in the organisations around them; each word in its search text; newest first."""
    query = (select(Practice, Organization.name, Topic.title)
             .join(Organization, Organization.id == Practice.organization_id)
             .outerjoin(Topic, Topic.id == Practice.topic_id)
             .where(or_((Practice.organization_id.in_(list(own))) & Practice.status.in_(SHOWN),
                        (Practice.organization_id.in_(list(region))) & (Practice.status == PracticeStatus.FEATURED))))
    for word in words:
        query = query.where(Practice.search_text.contains(word, autoescape=True))
    if topic_title is not None:
        query = query.where(Topic.title == topic_title)
    return (await session.execute(query.order_by(Practice.created_at.desc(), Practice.id.desc()).limit(limit))).all()


async def submitted(session: AsyncSession, org_ids: Sequence[int]) -> Sequence[Row]:
    return (await session.execute(select(Practice, Organization.name, Topic.title)
                                  .join(Organization, Organization.id == Practice.organization_id)
                                  .outerjoin(Topic, Topic.id == Practice.topic_id)
                                  .where(Practice.organization_id.in_(list(org_ids)),
                                         Practice.status == PracticeStatus.SUBMITTED)
                                  .order_by(Practice.id))).all()


async def one(session: AsyncSession, practice_id: int) -> Row | None:
    return (await session.execute(select(Practice, Organization.name, Topic.title)
                                  .join(Organization, Organization.id == Practice.organization_id)
                                  .outerjoin(Topic, Topic.id == Practice.topic_id)
                                  .where(Practice.id == practice_id))).first()


async def files_of(session: AsyncSession, practice_id: int) -> Sequence[PracticeFile]:
    return (await session.scalars(select(PracticeFile).where(PracticeFile.practice_id == practice_id)
                                  .order_by(PracticeFile.id))).all()


async def channel_of(session: AsyncSession, org_id: int) -> int | None:
    return await session.scalar(select(Organization.channel_id).where(Organization.id == org_id))


async def program_completed(session: AsyncSession, mentorship_id: int) -> bool:
    return await session.scalar(select(Mentorship.status).where(Mentorship.id == mentorship_id)) \
        == MentorshipStatus.COMPLETED
