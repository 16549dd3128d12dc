"""The statements of documents."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Approval, ApprovalKind, ApprovalStatus, Mentorship, Program


async def approved_pairs(session: AsyncSession, org_id: int, first: date, last: date) -> Sequence[Approval]:
    """The pairs and groups approved by orders dated within the period, in the orders' order."""
    return (await session.scalars(select(Approval).where(
        Approval.organization_id == org_id, Approval.kind == ApprovalKind.PAIR,
        Approval.status == ApprovalStatus.APPROVED, Approval.order_date >= first, Approval.order_date <= last)
        .order_by(Approval.order_date, Approval.order_seq, Approval.id))).all()


async def programs_of(session: AsyncSession, org_id: int) -> Sequence[int]:
    """The organisation's pairs and groups that have a program, oldest first."""
    return (await session.scalars(select(Mentorship.id).join(Program, Program.mentorship_id == Mentorship.id)
                                  .where(Mentorship.organization_id == org_id).order_by(Mentorship.id))).all()
