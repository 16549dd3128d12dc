"""The statements of approvals."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Approval, ApprovalStatus


async def pending(session: AsyncSession, org_ids: Sequence[int], limit: int) -> Sequence[Approval]:
    return (await session.scalars(select(Approval).where(
        Approval.organization_id.in_(org_ids), Approval.status == ApprovalStatus.PENDING)
        .order_by(Approval.requested_at, Approval.id).limit(limit))).all()


async def locked(session: AsyncSession, approval_id: int) -> Approval | None:
    """The approval, its row locked: two heads deciding at once decide one after the other."""
    return await session.scalar(select(Approval).where(Approval.id == approval_id).with_for_update())


async def last_seq(session: AsyncSession, org_id: int, year: int) -> int:
    """The last order number the bot gave in the organisation's school year."""
    return await session.scalar(select(func.max(Approval.order_seq)).where(
        Approval.organization_id == org_id, Approval.order_year == year)) or 0
