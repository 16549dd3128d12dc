"""Completing a pair or group, replacing its mentor, leaving (seeds 003 §5, 004 §III.9)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n, Safe
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.mentorships import queries
from bot.services.mentorships.approval_requests import approvals_on, request_approval
from bot.services.mentorships.evaluation import final_assessment_made, growth, growth_lines
from bot.services.mentorships.notices import describe, notify_all, notify_invitation
from bot.services.mentorships.pairs import suggest_mentors
from bot.services.mentorships.queries import load_mentorship
from bot.services.mentorships.rules import ALLOWED_REASONS, check_curator, viewer_role
from bot.services.notify import tell
from bot.services.people import curators_of, current_mentees, current_mentor
from bot.services.surveys import launch_on_completion
from db.models import (
    ApprovalKind,
    CompletionReason,
    MentorshipStatus,
    Participant,
    ReplacementGround,
    ReplacementRequest,
    Role,
)


async def complete(session: AsyncSession, actor: Actor, mentorship_id: int, *, reason: CompletionReason,
                   now: datetime, i18n: I18n) -> None:
    m = await load_mentorship(session, mentorship_id)
    role = viewer_role(actor, m)
    if reason not in ALLOWED_REASONS[role]:
        raise AccessDenied()
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("error.stale_button")
    if reason == CompletionReason.PLAN_DONE and (
            m.program is None or not m.program.items or any(i.done_at is None for i in m.program.items)):
        raise InvalidInput("program.plan_not_done")
    if reason == CompletionReason.EVALUATION and not await final_assessment_made(session, m):
        raise InvalidInput("evaluation.final_missing")
    grown = await growth(session, m)
    m.status = MentorshipStatus.COMPLETED
    m.ended_at = now
    m.completion_reason = reason
    await notify_all(session, m, "program.completed", now, i18n,
                      reason=lambda t: t.plain(f"completion.{reason.value}"),
                      growth=lambda t: Safe(growth_lines(t, grown)))

    await launch_on_completion(session, m, now, i18n)
    await session.commit()


async def request_replacement(session: AsyncSession, actor: Actor, mentorship_id: int, *,
                              ground: ReplacementGround, now: datetime, i18n: I18n) -> None:
    m = await load_mentorship(session, mentorship_id)
    role = viewer_role(actor, m)
    if role == Role.CURATOR or m.status != MentorshipStatus.ACTIVE:
        raise AccessDenied()
    session.add(ReplacementRequest(mentorship_id=m.id, requested_by_id=actor.person_id, ground=ground,
                                   requested_at=now))
    me = next(p.person for p in m.participants if p.person_id == actor.person_id)
    for curator in await curators_of(session, m.organization_id):
        t = i18n.get(curator.locale)
        await tell(session, curator, "replace.requested", now, i18n, name=me.full_name or "—",
                    ground=t.plain(f"ground.{ground.value}"), **describe(m, i18n, curator.locale))
    await session.commit()


async def replace_mentor(session: AsyncSession, actor: Actor, mentorship_id: int, *, new_mentor_id: int,
                         ground: ReplacementGround, now: datetime, i18n: I18n) -> None:
    """The curator replaces the mentor; the old one's row keeps when and why it ended, the new one
    is asked to agree like any mentor."""
    m = await load_mentorship(session, mentorship_id)
    await check_curator(actor, m.organization_id)
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("program.not_active")
    old = current_mentor(m)
    mentee_ids = [p.person_id for p in current_mentees(m)]
    exclude = [old.person_id] if old else []
    candidates = await suggest_mentors(session, actor, m.organization_id, mentee_ids, exclude)
    if new_mentor_id not in {s.person_id for s in candidates}:
        raise InvalidInput("pairs.mentor_full")
    if old is not None:
        old.left_at = now
        old.replacement_ground = ground
        await tell(session, old.person, "replace.old_mentor", now, i18n,
                    ground=i18n.get(old.person.locale).plain(f"ground.{ground.value}"),
                    **describe(m, i18n, old.person.locale))
    for request in await queries.undecided_replacements(session, m.id):
        request.decided_at = now
    session.add(Participant(mentorship_id=m.id, person_id=new_mentor_id, role=Role.MENTOR, invited_at=now))
    await session.flush()
    m = await load_mentorship(session, m.id)
    new = current_mentor(m)
    assert new is not None
    await notify_invitation(session, m, new, now, i18n)
    if await approvals_on(session, m.organization_id):
        await request_approval(session, m, ApprovalKind.REPLACEMENT, now, i18n)
    await session.commit()


async def leave_all(session: AsyncSession, person_id: int, org_id: int | None, now: datetime, i18n: I18n) -> None:
    """The person withdrew their consent (in `org_id`, or everywhere): their part in every current pair and
    group of it ends, in the caller's transaction (seed 004 §III.9: the mentor's own application).
    A mentor's pairs wait for a new mentor (their mentees are back in /pair's list, the pair on the
    summary's attention list); a pair left with no mentee ends at the mentee's initiative; a proposal
    that lost its mentor or every mentee is declined. The others and the curators are told, without the
    leaver's name (which is about to be erased)."""
    for row in await queries.open_places_of(session, person_id, org_id):
        m = await load_mentorship(session, row.mentorship_id, with_program=False)
        mine = next(p for p in m.participants if p.id == row.id)
        mine.left_at = now
        if mine.role == Role.MENTOR:
            mine.replacement_ground = ReplacementGround.MENTOR_APPLICATION
        mentees_left = current_mentees(m)
        if m.status == MentorshipStatus.PROPOSED and (mine.role == Role.MENTOR or not mentees_left):
            m.status, m.ended_at = MentorshipStatus.DECLINED, now
        elif not mentees_left:
            m.status, m.ended_at = MentorshipStatus.COMPLETED, now
            m.completion_reason = CompletionReason.MENTEE_INITIATIVE
        key = "pairs.mentor_left" if mine.role == Role.MENTOR else "pairs.mentee_left"
        await notify_all(session, m, key, now, i18n, skip=person_id)
