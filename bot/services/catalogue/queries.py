"""The statements of the catalogue."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import MembershipTopic, Topic


async def entries(session: AsyncSession, org_id: int) -> Sequence[Row]:
    """(Topic, how many memberships name it) of the organisation, in the catalogue's order."""
    used = select(MembershipTopic.topic_id, func.count().label("n")).group_by(MembershipTopic.topic_id).subquery()
    return (await session.execute(select(Topic, func.coalesce(used.c.n, 0)).outerjoin(
        used, used.c.topic_id == Topic.id).where(Topic.organization_id == org_id)
        .order_by(Topic.archived, Topic.position, Topic.id))).all()


async def titles(session: AsyncSession, org_id: int) -> dict[str, int]:
    """Every title of the organisation's catalogue, casefolded, and its topic."""
    rows = await session.execute(select(Topic.title, Topic.id).where(Topic.organization_id == org_id))
    return {title.casefold(): topic_id for title, topic_id in rows}


async def last_position(session: AsyncSession, org_id: int) -> int:
    return await session.scalar(select(func.max(Topic.position)).where(Topic.organization_id == org_id)) or 0
