"""The head's approval, «Утверждаю» (seed 000 §4.6, 002 §3.3, 003 §1.1, 004 §III.8.2 and §III.9): pairs and
groups, programs and mentors' replacements are fixed by order. The head approves, with the order's
number and date typed in or numbered by the bot within the school year, or returns the item with a
comment that reaches the curator. A pair starts only once approved; a returned pair does not start and
its mentees are back in /pair. The mentor's agreement, with its date, is the written consent
(Participant.confirmed_at), shown on the card. What asks for approval: services.mentorships."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.approvals import queries
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.mentorships import load_mentorship, local_today, notify_all, start
from bot.services.people import current_mentees, current_mentor, pair_title
from bot.services.surveys import school_year
from db.models import Approval, ApprovalKind, ApprovalStatus, MentorshipStatus, Organization, Role

DECIDERS = (Role.HEAD,)
SHOWN = 20
NUMBER_MAX = 40
COMMENT_MAX = 1000


@dataclass(frozen=True)
class ApprovalCard:
    id: int
    organization_id: int
    mentorship_id: int
    kind: ApprovalKind
    status: ApprovalStatus
    title: str
    mentor: str
    mentor_agreed_at: datetime | None  # the mentor's written consent
    mentees: list[str]
    requested_at: datetime
    timezone: str
    goals: str | None = None
    period: tuple[date, date] | None = None
    order_number: str | None = None
    order_date: date | None = None
    comment: str | None = None


def decider_orgs(actor: Actor) -> list[tuple[int, str]]:
    return actor.orgs_where(*DECIDERS)


async def pending(session: AsyncSession, actor: Actor) -> list[ApprovalCard]:
    orgs = [org_id for org_id, _ in decider_orgs(actor)]
    if not orgs:
        raise AccessDenied("approvals.only_heads")
    return [await _card(session, a) for a in await queries.pending(session, orgs, SHOWN)]


async def card(session: AsyncSession, actor: Actor, approval_id: int) -> ApprovalCard:
    approval = await session.get(Approval, approval_id)
    if approval is None or not actor.has_role(approval.organization_id, *DECIDERS):
        raise AccessDenied("approvals.only_heads")
    return await _card(session, approval)


async def _card(session: AsyncSession, a: Approval) -> ApprovalCard:
    m = await load_mentorship(session, a.mentorship_id)
    org = await session.get(Organization, a.organization_id)
    mentor = current_mentor(m)
    program = m.program
    return ApprovalCard(
        a.id, a.organization_id, m.id, a.kind, a.status, pair_title(m),
        (mentor.person.full_name or "—") if mentor else "—", mentor.confirmed_at if mentor else None,
        [p.person.full_name or "—" for p in current_mentees(m)], a.requested_at, org.timezone if org else "UTC",
        goals=program.goals if program and a.kind == ApprovalKind.PROGRAM else None,
        period=(program.start_date, program.end_date) if program and a.kind == ApprovalKind.PROGRAM else None,
        order_number=a.order_number, order_date=a.order_date, comment=a.comment)


def parse_order(raw: str) -> tuple[str, date]:
    """«15-о 01.12.2026»: the order's number, then its date."""
    match = re.fullmatch(r"\s*(?:№\s*)?(\S(?:.*?\S)?)\s+(?:от\s+)?(\d{2}\.\d{2}\.\d{4})\s*", raw or "")
    if match is None or len(match.group(1)) > NUMBER_MAX:
        raise InvalidInput("approvals.bad_order")
    try:
        return match.group(1), datetime.strptime(match.group(2), "%d.%m.%Y").date()
    except ValueError:
        raise InvalidInput("approvals.bad_order") from None


async def _pending_for(session: AsyncSession, actor: Actor, approval_id: int) -> tuple[Approval, Organization]:
    approval = await queries.locked(session, approval_id)
    if approval is None:
        raise NotFound()
    if not actor.has_role(approval.organization_id, *DECIDERS):
        raise AccessDenied("approvals.only_heads")
    if approval.status != ApprovalStatus.PENDING:
        raise InvalidInput("error.stale_button")
    org = await session.get(Organization, approval.organization_id)
    assert org is not None
    return approval, org


async def approve(session: AsyncSession, actor: Actor, approval_id: int, now: datetime, i18n: I18n, *,
                  order: str | None = None) -> ApprovalCard:
    """«Утверждаю»: with the order typed by the head (`order`: «15-о 01.12.2026»), or numbered by the bot
    within the organisation's school year (1, 2, 3 …, dated today)."""
    approval, org = await _pending_for(session, actor, approval_id)
    today = local_today(now, org.timezone)
    if order is not None:
        approval.order_number, approval.order_date = parse_order(order)
        if approval.order_date > today:
            raise InvalidInput("approvals.future_order")
    else:
        approval.order_year = school_year(today)
        approval.order_seq = await queries.last_seq(session, org.id, approval.order_year) + 1
        approval.order_number, approval.order_date = str(approval.order_seq), today
    approval.status, approval.decided_by_id, approval.decided_at = ApprovalStatus.APPROVED, actor.person_id, now
    m = await load_mentorship(session, approval.mentorship_id)
    if approval.kind == ApprovalKind.PAIR and m.status == MentorshipStatus.APPROVAL:
        await start(session, m, now, i18n)
    await notify_all(session, m, "approvals.approved", now, i18n, curators=True, number=approval.order_number,
                      date=approval.order_date.strftime("%d.%m.%Y"),
                      what=lambda t: t.plain(f"approval_kind.{approval.kind.value}"))
    try:
        await session.commit()
    except IntegrityError:  # another head took this number a moment ago
        await session.rollback()
        raise InvalidInput("approvals.try_again") from None
    return await _card(session, approval)


async def return_to_curator(session: AsyncSession, actor: Actor, approval_id: int, comment: str, now: datetime,
                            i18n: I18n) -> None:
    """Returned with the head's comment: the curator is told. A returned pair does not start (its mentees are
    back in /pair); a returned program or replacement stays as it is, for the curator to put right."""
    approval, _ = await _pending_for(session, actor, approval_id)
    text = " ".join((comment or "").split())
    if not 1 <= len(text) <= COMMENT_MAX:
        raise InvalidInput("approvals.bad_comment", max=COMMENT_MAX)
    approval.status, approval.comment = ApprovalStatus.RETURNED, text
    approval.decided_by_id, approval.decided_at = actor.person_id, now
    m = await load_mentorship(session, approval.mentorship_id)
    if approval.kind == ApprovalKind.PAIR and m.status == MentorshipStatus.APPROVAL:
        m.status, m.ended_at = MentorshipStatus.DECLINED, now
    await notify_all(session, m, "approvals.returned", now, i18n, curators=True, comment=text,
                      what=lambda t: t.plain(f"approval_kind.{approval.kind.value}"))
    await session.commit()


async def set_approvals(session: AsyncSession, actor: Actor, org_id: int, on: bool) -> None:
    """The head turns approval on or off for the organisation; what waits already stays waiting."""
    if not actor.has_role(org_id, *DECIDERS):
        raise AccessDenied("approvals.only_heads")
    org = await session.get(Organization, org_id)
    if org is None:
        raise NotFound()
    org.approvals = on
    await session.commit()


async def approvals_setting(session: AsyncSession, actor: Actor, org_id: int) -> bool:
    if not actor.has_role(org_id, *DECIDERS):
        raise AccessDenied("approvals.only_heads")
    org = await session.get(Organization, org_id)
    return bool(org and org.approvals)
