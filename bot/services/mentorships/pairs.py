"""Forming pairs and groups, the mentor ranking, confirmations, and reading a pair's card
(seeds 000 §2.3, 003 §4, 004 §III.9)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.mentorships import queries
from bot.services.mentorships.approval_requests import approvals_on, request_approval
from bot.services.mentorships.evaluation import Growth, growth
from bot.services.mentorships.notices import describe, notify_all, notify_invitation
from bot.services.mentorships.queries import MY_MENTORSHIPS, PAIR_PEOPLE, VIEW, load_mentorship
from bot.services.mentorships.rules import MAX_GROUP, check_curator, clean_text, local_today, role_seen
from bot.services.notify import tell
from bot.services.people import (
    CURATORS,
    OPEN,
    PersonRef,
    curators_of,
    current_mentees,
    current_mentor,
    mentor_loads,
    names_by_pair,
    pair_title_of,
    person_ref,
    titles_of,
)
from db.models import (
    ApprovalKind,
    ApprovalStatus,
    CompletionReason,
    MentoringForm,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Participant,
    ReplacementGround,
    Role,
)
from db.repositories import plain_rows


@dataclass
class MentorSuggestion:
    person_id: int
    name: str
    overlap: list[str]
    wanted: int
    free: int
    capacity: int


@dataclass
class ItemView:
    id: int
    activity: str
    due_date: date
    expected_result: str
    done: bool
    completion_note: str | None
    overdue: bool


@dataclass(frozen=True)
class ApprovalView:
    kind: ApprovalKind
    status: ApprovalStatus
    order_number: str | None
    order_date: date | None
    comment: str | None


@dataclass
class MentorshipView:
    id: int
    organization_id: int
    organization_name: str
    timezone: str
    form: MentoringForm
    kind: MentoringKind
    status: MentorshipStatus
    mentor: PersonRef | None
    mentees: list[PersonRef]
    past_mentors: list[tuple[PersonRef, ReplacementGround | None]]
    program_id: int | None = None
    goals: str | None = None
    difficulties: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    items: list[ItemView] = field(default_factory=list)
    completion_reason: CompletionReason | None = None
    viewer_role: Role | None = None  # mentor, mentee, or curator for the one looking
    approvals: list[ApprovalView] = field(default_factory=list)  # the head's decisions, oldest first
    growth: list[Growth] = field(default_factory=list)  # the mentees' ratings before and after


@dataclass
class PairPeople:
    """Who is in a pair or group now (plain rows): enough to name it and to decide who may look."""

    organization_id: int
    mentor: tuple[int, str | None] | None  # (person id, name)
    mentees: list[tuple[int, str | None]]

    @property
    def title(self) -> str:
        return pair_title_of(self.mentor[1] if self.mentor else None, [name for _, name in self.mentees])

    def role_of(self, actor: Actor) -> Role:
        """How the actor may see the pair; AccessDenied when not at all."""
        return role_seen(actor, self.organization_id, self.mentor[0] if self.mentor else None,
                          [person_id for person_id, _ in self.mentees])


async def pair_people(session: AsyncSession, mentorship_id: int) -> PairPeople:
    """The current mentor and mentees of a mentorship, in one statement (NotFound if there is none)."""
    rows = await plain_rows(session, PAIR_PEOPLE, {"id": mentorship_id})
    if not rows:
        raise NotFound()
    mentor = next(((r.person_id, r.full_name) for r in rows if r.role == Role.MENTOR), None)
    return PairPeople(rows[0].organization_id, mentor,
                      [(r.person_id, r.full_name) for r in rows if r.role == Role.MENTEE])


async def view(session: AsyncSession, actor: Actor, mentorship_id: int, now: datetime) -> MentorshipView:
    """A mentorship as the actor may see it (AccessDenied otherwise): one statement of plain rows."""
    rows = await plain_rows(session, VIEW, {"id": mentorship_id})
    if not rows or rows[0].part != 0:
        raise NotFound()
    m = rows[0]
    joined = [r for r in rows if r.part == 0 and r.person_id is not None]
    current = [r for r in joined if r.left_at is None and r.declined_at is None]
    mentor = next((r for r in current if r.role == Role.MENTOR), None)
    mentees = [r for r in current if r.role == Role.MENTEE]
    role = role_seen(actor, m.organization_id, mentor.person_id if mentor else None, [r.person_id for r in mentees])

    def ref(r: Row) -> PersonRef:
        return PersonRef(r.person_id, r.full_name or "—", r.telegram_id, r.locale)

    result = MentorshipView(
        id=m.id, organization_id=m.organization_id, organization_name=m.organization_name, timezone=m.timezone,
        form=m.form, kind=m.kind, status=m.status, mentor=ref(mentor) if mentor else None,
        mentees=[ref(r) for r in mentees],
        past_mentors=[(ref(r), r.replacement_ground) for r in joined
                      if r.role == Role.MENTOR and r.left_at is not None and r.replacement_ground is not None],
        completion_reason=m.completion_reason, viewer_role=role)
    if m.program_id is not None:
        today = local_today(now, m.timezone)
        result.program_id, result.goals, result.difficulties = m.program_id, m.goals, m.difficulties
        result.start_date, result.end_date = m.start_date, m.end_date
        result.items = [ItemView(i.item_id, i.activity, i.due_date, i.expected_result, i.done_at is not None,
                                 i.completion_note, i.done_at is None and i.due_date < today)
                        for i in rows if i.part == 1]
    if m.assessments:
        result.growth = await growth(session, await load_mentorship(session, m.id))
    if m.approvals:  # a second look only where there is something to show
        result.approvals = [ApprovalView(a.kind, a.status, a.order_number, a.order_date, a.comment)
                            for a in await queries.approvals_of(session, m.id)]
    return result


async def my_mentorships(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """(id, title) of the mentorships the actor works in or, as a curator, oversees; newest first.
    One query of plain rows (the menus of /program and /journal ask for it on every use)."""
    if actor.person_id is None:
        raise AccessDenied("error.not_registered")
    curated = [org for org, _ in actor.orgs_where(*CURATORS)]
    return titles_of(names_by_pair(await plain_rows(session, MY_MENTORSHIPS,
                                           {"person_id": actor.person_id, "curated": curated})))


async def unpaired_mentees(session: AsyncSession, actor: Actor, org_id: int) -> list[PersonRef]:
    await check_curator(actor, org_id)
    people = await queries.unpaired_mentees(session, org_id)
    return [person_ref(p) for p in people]


async def mentor_load(session: AsyncSession, mentor_id: int) -> int:
    """Mentees the mentor has now, in proposed and active mentorships."""
    return (await mentor_loads(session, [mentor_id])).get(mentor_id, 0)


async def suggest_mentors(session: AsyncSession, actor: Actor, org_id: int, mentee_ids: Sequence[int],
                          exclude: Sequence[int] = ()) -> list[MentorSuggestion]:
    """Mentors of the organisation with room for all these mentees (never over capacity), ranked
    by how many of the mentees' difficulties they cover, then by free places."""
    await check_curator(actor, org_id)
    return await rank_mentors(session, org_id, mentee_ids, exclude)


async def rank_mentors(session: AsyncSession, org_id: int, mentee_ids: Sequence[int],
                       exclude: Sequence[int] = ()) -> list[MentorSuggestion]:
    """The ranking of /pair (and of a mentee's own choice, self_choice.py), for a caller already checked."""
    mentors = await queries.mentor_candidates(session, org_id, list(mentee_ids) + list(exclude))
    wanted = set().union(*(await queries.topics(session, org_id, mentee_ids, Role.MENTEE)).values()) if mentee_ids else set()
    competencies = await queries.topics(session, org_id, [p.id for p, _ in mentors], Role.MENTOR)
    titles = await queries.topic_titles(session, org_id)
    loads = await mentor_loads(session, [person.id for person, _ in mentors])
    suggestions = []
    for person, capacity in mentors:
        free = (capacity or 0) - loads.get(person.id, 0)
        if free < len(mentee_ids):
            continue
        overlap = sorted(wanted & competencies[person.id], key=lambda tid: titles.get(tid, ""))
        suggestions.append(MentorSuggestion(person.id, person.full_name or "—", [titles[t] for t in overlap],
                                            len(wanted), free, capacity or 0))
    suggestions.sort(key=lambda s: (-len(s.overlap), -s.free, s.name))
    return suggestions


async def propose(session: AsyncSession, actor: Actor, *, org_id: int, mentor_id: int, mentee_ids: Sequence[int],
                  form: MentoringForm, kind: MentoringKind, now: datetime, i18n: I18n) -> int:
    await check_curator(actor, org_id)
    mentee_ids = list(dict.fromkeys(mentee_ids))
    if not 1 <= len(mentee_ids) <= MAX_GROUP:
        raise InvalidInput("pairs.bad_size", max=MAX_GROUP)
    if kind == MentoringKind.GROUP and len(mentee_ids) < 2:
        raise InvalidInput("pairs.group_needs_two")
    free_mentees = {p.person_id for p in await unpaired_mentees(session, actor, org_id)}
    if not set(mentee_ids) <= free_mentees:
        raise InvalidInput("pairs.mentee_taken")
    if mentor_id not in {s.person_id for s in await suggest_mentors(session, actor, org_id, mentee_ids)}:
        raise InvalidInput("pairs.mentor_full")
    m = Mentorship(organization_id=org_id, form=form, kind=kind, status=MentorshipStatus.PROPOSED,
                   created_by_id=actor.person_id, created_at=now)
    session.add(m)
    await session.flush()
    session.add(Participant(mentorship_id=m.id, person_id=mentor_id, role=Role.MENTOR, invited_at=now))
    session.add_all(Participant(mentorship_id=m.id, person_id=pid, role=Role.MENTEE, invited_at=now)
                    for pid in mentee_ids)
    await session.flush()
    m = await load_mentorship(session, m.id)
    for participant in m.participants:
        await notify_invitation(session, m, participant, now, i18n)
    await session.commit()
    return m.id


def _pending_answer(m: Mentorship, actor: Actor) -> Participant:
    """The actor's row in a proposal they still have to answer."""
    mine = next((p for p in m.participants if p.person_id == actor.person_id and p.left_at is None
                 and p.declined_at is None), None)
    if mine is None:
        raise AccessDenied()
    if mine.confirmed_at is not None or m.status not in OPEN:
        raise InvalidInput("error.stale_button")
    return mine


async def check_pending(session: AsyncSession, actor: Actor, mentorship_id: int) -> None:
    """The actor has a proposal here still to answer (before asking them for a reason)."""
    _pending_answer(await load_mentorship(session, mentorship_id), actor)


async def respond(session: AsyncSession, actor: Actor, mentorship_id: int, *, accept: bool, now: datetime,
                  i18n: I18n, reason: str | None = None) -> MentorshipStatus:
    """The mentor's or a mentee's answer to a proposal. The mentor's consent is recorded with
    its date (the written consent the regulations ask for)."""
    m = await load_mentorship(session, mentorship_id)
    mine = _pending_answer(m, actor)
    if accept:
        mine.confirmed_at = now
    else:
        mine.declined_at = now
        mine.decline_reason = clean_text(reason or "", 500)
        for curator in await curators_of(session, m.organization_id):
            await tell(session, curator, "pairs.declined_notice", now, i18n, name=mine.person.full_name or "—",
                        reason=mine.decline_reason, **describe(m, i18n, curator.locale))
        if mine.role == Role.MENTOR and m.status == MentorshipStatus.PROPOSED:
            m.status = MentorshipStatus.DECLINED
            m.ended_at = now
            chooser = next((p for p in current_mentees(m) if p.person_id == m.created_by_id), None)
            if chooser is not None:  # the mentee chose this mentor (/mentors): told why, and may choose again
                await tell(session, chooser.person, "mentors.declined", now, i18n,
                           name=mine.person.full_name or "—", reason=mine.decline_reason)
        elif not current_mentees(m):
            m.status = MentorshipStatus.DECLINED
            m.ended_at = now
    mentor = current_mentor(m)
    everyone_agreed = mentor is not None and mentor.confirmed_at is not None and current_mentees(m) and all(
        p.confirmed_at is not None for p in current_mentees(m))
    if m.status == MentorshipStatus.PROPOSED and everyone_agreed:
        if await approvals_on(session, m.organization_id):
            m.status = MentorshipStatus.APPROVAL  # the head's «Утверждаю» starts it (services.approvals)
            await request_approval(session, m, ApprovalKind.PAIR, now, i18n)
            await notify_all(session, m, "pairs.agreed_awaiting", now, i18n)
        else:
            await start(session, m, now, i18n)
    elif m.status == MentorshipStatus.ACTIVE and accept and mine.role == Role.MENTOR:
        await notify_all(session, m, "pairs.new_mentor", now, i18n, skip=mine.person_id)
    await session.commit()
    return m.status




async def start(session: AsyncSession, m: Mentorship, now: datetime, i18n: I18n) -> None:
    """Everyone agreed (and the head approved, where that is asked): the pair or group begins."""
    m.status = MentorshipStatus.ACTIVE
    m.started_at = now
    await notify_all(session, m, "pairs.started", now, i18n)
    await leave_mentorless(session, m, now)


async def leave_mentorless(session: AsyncSession, m: Mentorship, now: datetime) -> None:
    """Mentees paired anew leave the pairs whose mentor left (and a pair left with nobody ends), so that
    nobody is in two programs at once."""
    mentee_ids = [p.person_id for p in current_mentees(m)]
    stale = await queries.in_mentorless_pairs(session, mentee_ids, m.id)
    for row in stale:
        row.left_at = now
        old = await load_mentorship(session, row.mentorship_id, with_program=False)
        if not current_mentees(old):
            old.status, old.ended_at = MentorshipStatus.COMPLETED, now
            old.completion_reason = CompletionReason.CURATOR_FORCE_MAJEURE
