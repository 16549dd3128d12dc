"""A participant's long absence, dismissal or transfer, recorded by the curator (seed 004 §III.9.2–3).

A long absence (illness, leave, training) pauses every pair and group the person is in: the program is
kept, its reminders stop, and nobody is nudged; on the person's return they resume, and each program's
end moves on by the days it was paused. A dismissal or a transfer ends the person's membership of the
organisation: the pairs they mentored end on that ground and their mentees are back in /pair's list;
as a mentee they leave their pair or group, which ends when nobody is left. The participants and the
curators are told each time."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.errors import InvalidInput, NotFound
from bot.services.mentorships import queries
from bot.services.mentorships.notices import describe, notify_all
from bot.services.mentorships.queries import load_mentorship
from bot.services.mentorships.rules import check_curator
from bot.services.people import current_mentees, pair_title
from db.models import (
    CompletionReason,
    Membership,
    Mentorship,
    MentorshipStatus,
    ReplacementGround,
    Role,
)


@dataclass(frozen=True)
class Standing:
    """What the curator sees before recording an absence or a departure."""

    person_id: int
    name: str
    absent_since: datetime | None
    pairs: list[tuple[int, str, MentorshipStatus, Role]]  # (mentorship, title, status, the person's role)


async def _memberships(session: AsyncSession, actor: Actor, org_id: int, person_id: int) -> list[Membership]:
    """The person's current memberships of the organisation (a mentor may be a curator too)."""
    await check_curator(actor, org_id)
    memberships = await queries.memberships_in(session, person_id, org_id)
    if not memberships:
        raise NotFound()
    return memberships


async def standing(session: AsyncSession, actor: Actor, org_id: int, person_id: int) -> Standing:
    membership = (await _memberships(session, actor, org_id, person_id))[0]
    pairs = []
    for place in await queries.open_places_of(session, person_id, org_id):
        m = await load_mentorship(session, place.mentorship_id, with_program=False)
        pairs.append((m.id, pair_title(m), m.status, place.role))
    return Standing(person_id, membership.person.full_name or "—", membership.absent_since, pairs)


async def record_absence(session: AsyncSession, actor: Actor, org_id: int, person_id: int, now: datetime,
                         i18n: I18n) -> int:
    """Pause the active pairs and groups the person mentors, and the pairs where they are the only mentee
    (a group goes on without one of its mentees); returns how many were paused."""
    memberships = await _memberships(session, actor, org_id, person_id)
    membership = memberships[0]
    if membership.absent_since is not None:
        raise InvalidInput("absence.already")
    for row in memberships:
        row.absent_since = now
    paused = 0
    for place in await queries.open_places_of(session, person_id, org_id):
        m = await load_mentorship(session, place.mentorship_id, with_program=False)
        if m.status != MentorshipStatus.ACTIVE or (place.role == Role.MENTEE and len(current_mentees(m)) > 1):
            continue
        m.status, m.paused_at, m.paused_for_id = MentorshipStatus.PAUSED, now, person_id
        await notify_all(session, m, "absence.paused", now, i18n, name=membership.person.full_name or "—")
        paused += 1
    await session.commit()
    return paused


async def end_absence(session: AsyncSession, actor: Actor, org_id: int, person_id: int, now: datetime,
                      i18n: I18n) -> int:
    """The person is back: the pairs paused for them resume; each program's end moves on by the pause."""
    memberships = await _memberships(session, actor, org_id, person_id)
    membership = memberships[0]
    if membership.absent_since is None:
        raise InvalidInput("error.stale_button")
    for row in memberships:
        row.absent_since = None
    resumed = 0
    for mentorship_id in await queries.paused_for(session, person_id, org_id):
        m = await load_mentorship(session, mentorship_id)
        days = max(0, (now - m.paused_at).days) if m.paused_at else 0
        if m.program is not None and days:
            m.program.end_date += timedelta(days=days)
        m.status, m.paused_at, m.paused_for_id = MentorshipStatus.ACTIVE, None, None
        end = m.program.end_date.strftime("%d.%m.%Y") if m.program is not None else "—"
        await notify_all(session, m, "absence.resumed", now, i18n, name=membership.person.full_name or "—", end=end)
        resumed += 1
    await session.commit()
    return resumed


async def record_departure(session: AsyncSession, actor: Actor, org_id: int, person_id: int, now: datetime,
                           i18n: I18n) -> int:
    """Dismissal or transfer: the membership ends, the pairs follow. Returns how many pairs ended."""
    memberships = await _memberships(session, actor, org_id, person_id)
    name = memberships[0].person.full_name or "—"
    ended = 0
    for place in await queries.open_places_of(session, person_id, org_id):
        m = await load_mentorship(session, place.mentorship_id, with_program=False)
        mine = next(p for p in m.participants if p.id == place.id)
        people = {k: v for k, v in describe(m, i18n, None).items() if k in ("mentor", "mentees")}  # as it was
        mine.left_at, mine.replacement_ground = now, ReplacementGround.DISMISSAL_TRANSFER
        if mine.role == Role.MENTOR or not current_mentees(m):
            await _end(m, now)
            ended += 1
            key = "absence.ended"
        else:
            key = "absence.mentee_left"
        await notify_all(session, m, key, now, i18n, name=name, **people)
    for row in memberships:
        row.ended_at, row.absent_since = now, None
    await session.commit()
    return ended


async def _end(m: Mentorship, now: datetime) -> None:
    if m.status == MentorshipStatus.PROPOSED:
        m.status = MentorshipStatus.DECLINED
    else:
        m.status, m.completion_reason = MentorshipStatus.COMPLETED, CompletionReason.DISMISSAL_TRANSFER
    m.ended_at, m.paused_at, m.paused_for_id = now, None, None
