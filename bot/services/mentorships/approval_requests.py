"""What goes to the head for approval, and when (services.approvals is the head's side). Where the
organisation approves (its setting, on by default) and has a head, a pair or group whose participants
all agreed waits for «Утверждаю» before it starts; a new program and a mentor's replacement are put
before the head as well, and work goes on while they wait."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.mentorships import queries
from bot.services.notify import Action, Button, tell
from bot.services.people import pair_title
from db.models import Approval, ApprovalKind, ApprovalStatus, Mentorship, Organization


async def approvals_on(session: AsyncSession, org_id: int) -> bool:
    org = await session.get(Organization, org_id)
    return bool(org and org.approvals) and bool(await queries.heads_of(session, org_id))


async def request_approval(session: AsyncSession, m: Mentorship, kind: ApprovalKind, now: datetime,
                           i18n: I18n) -> Approval:
    """A pending approval, and a notice to each head with a button to it (in the caller's transaction)."""
    approval = Approval(organization_id=m.organization_id, mentorship_id=m.id, kind=kind,
                        status=ApprovalStatus.PENDING, requested_at=now)
    session.add(approval)
    await session.flush()
    for head in await queries.heads_of(session, m.organization_id):
        t = i18n.get(head.locale)
        await tell(session, head, "approvals.requested", now, i18n, what=t.plain(f"approval_kind.{kind.value}"),
                   title=pair_title(m), buttons=[[Button(t.plain("btn.approval_open"), Action.OPEN_APPROVAL,
                                                         {"approval": approval.id})]])
    return approval
