"""The statements of coordinators."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization


async def parent_links(session: AsyncSession) -> Sequence[Row]:
    """(organisation, its parent) of every organisation under another."""
    return (await session.execute(select(Organization.id, Organization.parent_id).where(
        Organization.parent_id.is_not(None)))).all()
