"""Evaluating growth (seed 002 §7.1, 004 §III.12.10; seed 001's tools: self-assessment and the diagnosis of
competencies). At the program's start and at its end each mentee rates each difficulty of the program
1–5 (self-assessment), and the mentor rates each mentee on the same items. The program card, the
completion notice and the summary show the growth, per difficulty and on average (before → after); a
program is completed «по результатам оценки эффективности» once the final assessment is made."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.reports import number
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.mentorships import queries
from bot.services.mentorships.queries import load_mentorship
from bot.services.mentorships.rules import local_today, viewer_role
from bot.services.people import current_mentees, current_mentor
from db.models import Assessment, AssessmentStage, Mentorship, MentorshipStatus, Role

SCORES = range(1, 6)
END_WINDOW_DAYS = 30  # the final assessment opens in the program's last month


def end_opens(end_date: date) -> date:
    return end_date - timedelta(days=END_WINDOW_DAYS)


@dataclass(frozen=True)
class Question:
    """The next difficulty the actor rates for a mentee (themselves, for a mentee)."""

    mentorship_id: int
    mentee_id: int
    mentee_name: str
    by_mentor: bool
    stage: AssessmentStage
    item: int
    count: int
    title: str


@dataclass(frozen=True)
class ItemGrowth:
    title: str
    self_before: float | None
    self_after: float | None
    mentor_before: float | None
    mentor_after: float | None


@dataclass(frozen=True)
class Growth:
    """One mentee's ratings, per difficulty and on average (the averages over the rated items)."""

    mentee_id: int
    mentee_name: str
    items: list[ItemGrowth]

    def mean(self, attribute: str) -> float | None:
        values = [getattr(i, attribute) for i in self.items if getattr(i, attribute) is not None]
        return sum(values) / len(values) if values else None


def program_items(m: Mentorship) -> list[str]:
    """The program's difficulties, in the program's order: the items rated."""
    if m.program is None:
        return []
    return [t.strip() for t in m.program.difficulties.split(";") if t.strip() and t.strip() != "—"]


async def _assessable(session: AsyncSession, actor: Actor, mentorship_id: int) -> tuple[Mentorship, Role, list[str]]:
    m = await load_mentorship(session, mentorship_id)
    role = viewer_role(actor, m)
    if role == Role.CURATOR:
        raise AccessDenied("program.participants_only")
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("program.not_active")
    items = program_items(m)
    if not items:
        raise InvalidInput("evaluation.no_items")
    return m, role, items


async def targets(session: AsyncSession, actor: Actor, mentorship_id: int) -> list[tuple[int, str]]:
    """Whom the actor rates: a mentee themselves; the mentor each current mentee."""
    m, role, _ = await _assessable(session, actor, mentorship_id)
    if role == Role.MENTEE:
        return [(actor.person_id, next(p.person.full_name or "—" for p in m.participants  # type: ignore[misc]
                                       if p.person_id == actor.person_id))]
    return [(p.person_id, p.person.full_name or "—") for p in current_mentees(m)]


def _stage_to_rate(done: dict[AssessmentStage, set[int]], count: int, end_open: bool) -> AssessmentStage | None:
    """The start first; the end once the start is complete and the program's last month has come."""
    if len(done.get(AssessmentStage.START, set())) < count:
        return AssessmentStage.START
    if end_open and len(done.get(AssessmentStage.END, set())) < count:
        return AssessmentStage.END
    return None


async def next_question(session: AsyncSession, actor: Actor, mentorship_id: int, mentee_id: int,
                        now: datetime) -> Question | None:
    """The first difficulty still to rate (the start's, then the end's); None when both are complete."""
    m, role, items = await _assessable(session, actor, mentorship_id)
    mentee = next((p for p in current_mentees(m) if p.person_id == mentee_id), None)
    if mentee is None or (role == Role.MENTEE and mentee_id != actor.person_id):
        raise AccessDenied()
    done = await queries.rated_items(session, m.id, mentee_id, actor.person_id)  # type: ignore[arg-type]
    org_today = now.date() if m.program is None else local_today(now, await queries.zone_of(session, m.organization_id))
    end_open = m.program is not None and org_today >= end_opens(m.program.end_date)
    stage = _stage_to_rate(done, len(items), end_open)
    if stage is None:
        return None
    item = next(n for n in range(len(items)) if n not in done.get(stage, set()))
    return Question(m.id, mentee_id, mentee.person.full_name or "—", role == Role.MENTOR, stage, item, len(items),
                    items[item])


async def rate(session: AsyncSession, actor: Actor, mentorship_id: int, mentee_id: int, stage: AssessmentStage,
               item: int, score: int, now: datetime) -> Question | None:
    """Record one rating (the one asked now: a stale or forged button is refused); returns the next question."""
    question = await next_question(session, actor, mentorship_id, mentee_id, now)
    if question is None or (question.stage, question.item) != (stage, item):
        raise InvalidInput("error.stale_button")
    if score not in SCORES:
        raise InvalidInput()
    session.add(Assessment(mentorship_id=mentorship_id, mentee_id=mentee_id, assessor_id=actor.person_id,
                           by_mentor=question.by_mentor, stage=stage, item=item, title=question.title[:200],
                           score=score, rated_at=now))
    await session.commit()
    return await next_question(session, actor, mentorship_id, mentee_id, now)


async def growth(session: AsyncSession, m: Mentorship) -> list[Growth]:
    """Every current mentee's ratings before and after (loaded `m`; none when nothing is rated)."""
    rows = await queries.assessments_of(session, m.id)
    if not rows:
        return []
    items = program_items(m)
    scores: dict[tuple[int, bool, AssessmentStage, int], int] = {
        (a.mentee_id, a.by_mentor, a.stage, a.item): a.score for a in rows}
    result = []
    def got(mentee: int, by_mentor: bool, stage: AssessmentStage, item: int) -> float | None:
        value = scores.get((mentee, by_mentor, stage, item))
        return float(value) if value is not None else None

    for p in current_mentees(m):
        per_item = [ItemGrowth(title, got(p.person_id, False, AssessmentStage.START, n),
                               got(p.person_id, False, AssessmentStage.END, n),
                               got(p.person_id, True, AssessmentStage.START, n),
                               got(p.person_id, True, AssessmentStage.END, n)) for n, title in enumerate(items)]
        result.append(Growth(p.person_id, p.person.full_name or "—", per_item))
    return result


async def final_assessment_made(session: AsyncSession, m: Mentorship) -> bool:
    """Every current mentee has rated every item at the end, and so has the mentor for each of them."""
    items = program_items(m)
    mentor = current_mentor(m)
    if not items or mentor is None:
        return False
    for p in current_mentees(m):
        for assessor in (p.person_id, mentor.person_id):
            done = await queries.rated_items(session, m.id, p.person_id, assessor)
            if len(done.get(AssessmentStage.END, set())) < len(items):
                return False
    return True


def growth_lines(t: Translator, grown: list[Growth]) -> str:
    """Each mentee's average before → after, self-assessed and by the mentor (empty when nothing is rated)."""
    lines = []
    for g in grown:
        lines.append(t("evaluation.growth_line", name=g.mentee_name,
                       self_before=number(t, g.mean("self_before")), self_after=number(t, g.mean("self_after")),
                       mentor_before=number(t, g.mean("mentor_before")),
                       mentor_after=number(t, g.mean("mentor_after"))))
    return "".join("\n" + line for line in lines)
