"""The documents a school keeps, generated as DOCX from templates (seed 000 §1.1, §4.6; 003 §1.1): the
personalised program of a pair or group, the mentor's journal of its meetings, the orders fixing the pairs
and replacing mentors, the road map, the curator's report, the mentor's portfolio. Made with docxtpl —
Jinja2 tags in a Word document, so that a school edits its template in Word, and autoescaping, so that any name or text is printed as typed — rendered off the event loop. Who may get
which: a program and a journal, its participants and the organisation's curators and heads; an order and
the final report, the curators and heads."""
from __future__ import annotations

import asyncio
import html as htmllib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from sqlalchemy.ext.asyncio import AsyncSession

from bot import reports
from bot.i18n import I18n, Translator
from bot.services import coordinators, summary
from bot.services.actor import Actor
from bot.services.documents import queries
from bot.services.documents.pdf import to_pdf
from bot.services.documents.periods import Period, Span, span_of, typed_span
from bot.services.documents.roadmap import edit_stage, roadmap
from bot.services.documents.templates import (
    JOURNAL,
    PAIRS_ORDER,
    PORTFOLIO,
    PROGRAM,
    REGION_REPORT,
    REPLACEMENT_ORDER,
    REPORT,
    ROADMAP,
    THANKS,
    template_for,
)
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.journal import journal_between
from bot.services.mentorships import growth, load_mentorship, local_today, pair_people, view
from bot.services.people import current_mentees, current_mentor, pair_title
from db.models import ApprovalKind, ApprovalStatus, Organization, Role

READERS = (Role.CURATOR, Role.HEAD)
DAY = "%d.%m.%Y"


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes  # DOCX
    pdf: bytes | None = None  # where the machine has LibreOffice
    period: str = ""  # «01.09.2026 — 23.11.2026» for a document of a period

    @property
    def pdf_filename(self) -> str:
        return self.filename.removesuffix(".docx") + ".pdf"


def render(template: bytes, context: dict[str, Any], images: dict[str, bytes] | None = None) -> bytes:
    """The template filled in (every value escaped: shown as typed); `images` are PNGs put in as pictures."""
    doc = DocxTemplate(io.BytesIO(template))
    for key, png in (images or {}).items():
        context[key] = InlineImage(doc, io.BytesIO(png), width=Mm(160))
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


async def _document(filename: str, name: str, org_id: int, folder: Path | None, context: dict[str, Any],
                    images: dict[str, bytes] | None = None) -> Document:
    """Rendered in a worker thread (and converted to PDF there, where LibreOffice is installed)."""
    content = await asyncio.to_thread(render, template_for(name, org_id, folder), context, images)
    return Document(filename, content, await asyncio.to_thread(to_pdf, content), context.get("period", ""))


def _span(period: Period | Span, today: date) -> Span:
    return period if isinstance(period, Span) else span_of(period, today)


def _day(value: date | None) -> str:
    return value.strftime(DAY) if value else "—"


async def check_period_reader(session: AsyncSession, actor: Actor, target: int, *, of_pair: bool) -> None:
    """Before a period is asked for: AccessDenied unless the actor may get the pair's journal (`of_pair`) or
    the organisation's orders."""
    if of_pair:
        (await pair_people(session, target)).role_of(actor)
    elif not actor.has_role(target, *READERS):
        raise AccessDenied("documents.only_curators")


def _mark(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


async def _readable(session: AsyncSession, actor: Actor, org_id: int) -> Organization:
    """An organisation whose documents the actor may get: as its curator or head."""
    if not actor.has_role(org_id, *READERS):
        raise AccessDenied("documents.only_curators")
    org = await session.get(Organization, org_id)
    if org is None:
        raise NotFound()
    return org


async def program(session: AsyncSession, actor: Actor, mentorship_id: int, now: datetime, i18n: I18n,
                  folder: Path | None) -> Document:
    """The personalised program in the layout seed 000 §1 defines it by: the participants, the form and
    kind, the term, the goals, the difficulties it addresses, the plan of activities; then the assessments
    before and after, the head's approval (the order) and the signatures."""
    v = await view(session, actor, mentorship_id, now)  # who may see the pair may have its program
    if v.program_id is None:
        raise InvalidInput("documents.no_program")
    t = i18n.get(None)
    items = [{"n": n, "activity": i.activity, "due": i.due_date.strftime(DAY), "expected": i.expected_result,
              "done": t.plain("btn.yes") if i.done else t.plain("btn.no"), "note": i.completion_note or ""}
             for n, i in enumerate(v.items, start=1)]
    grown = [{"mentee": g.mentee_name, "title": i.title, "self": f"{_mark(i.self_before)} → {_mark(i.self_after)}",
              "mentor": f"{_mark(i.mentor_before)} → {_mark(i.mentor_after)}"} for g in v.growth for i in g.items]
    people = [{"role": t.plain(f"role.{role.value}"), "name": name or "—", "position": position or "—",
               "subject": subject or "—", "experience": "—" if years is None else str(years)}
              for role, name, position, subject, years in await queries.participants_of(session, v.id)]
    approved = [a for a in v.approvals if a.kind == ApprovalKind.PAIR and a.status == ApprovalStatus.APPROVED]
    order = t.plain("documents.order_of", number=approved[-1].order_number or "—", day=_day(approved[-1].order_date)) \
        if approved else ""
    context = {"org": v.organization_name, "mentor": v.mentor.name if v.mentor else "—",
               "mentees": ", ".join(m.name for m in v.mentees) or "—", "form": t.plain(f"form.{v.form.value}"),
               "kind": t.plain(f"kind.{v.kind.value}"), "start": _day(v.start_date), "end": _day(v.end_date),
               "goals": v.goals or "—", "difficulties": v.difficulties or "—", "items": items, "growth": grown,
               "people": people, "order": order, "today": local_today(now, v.timezone).strftime(DAY)}
    return await _document(f"program-{v.id}.docx", PROGRAM, v.organization_id, folder, context)


async def pairs_order(session: AsyncSession, actor: Actor, org_id: int, now: datetime, i18n: I18n,
                      folder: Path | None, period: Period | Span = Period.YEAR) -> Document:
    """The order fixing the pairs and groups approved within the period (by default the school year so far)."""
    org = await _readable(session, actor, org_id)
    today = local_today(now, org.timezone)
    span = _span(period, today)
    t = i18n.get(None)
    pairs = []
    for a in await queries.approved_pairs(session, org_id, span.first, span.last):
        m = await load_mentorship(session, a.mentorship_id, with_program=False)
        mentor = current_mentor(m)
        pairs.append({"number": a.order_number or "—", "date": a.order_date.strftime(DAY) if a.order_date else "—",
                      "mentor": (mentor.person.full_name or "—") if mentor else "—",
                      "mentees": ", ".join(p.person.full_name or "—" for p in current_mentees(m)) or "—",
                      "form": t.plain(f"form.{m.form.value}"), "kind": t.plain(f"kind.{m.kind.value}")})
    context = {"org": org.name, "period": span.text, "pairs": pairs, "today": today.strftime(DAY)}
    return await _document(f"pairs-order-{org_id}-{span.last.isoformat()}.docx", PAIRS_ORDER, org_id, folder,
                           context)


async def replacement_order(session: AsyncSession, actor: Actor, org_id: int, now: datetime, i18n: I18n,
                            folder: Path | None, period: Period | Span = Period.YEAR) -> Document:
    """The order on the mentors' replacements approved within the period (seed 004 §III.9): the mentees, the
    former mentor and the ground, the new mentor, the order's number and date."""
    org = await _readable(session, actor, org_id)
    today = local_today(now, org.timezone)
    span = _span(period, today)
    t = i18n.get(None)
    rows = []
    for a in await queries.approved_pairs(session, org_id, span.first, span.last, ApprovalKind.REPLACEMENT):
        m = await load_mentorship(session, a.mentorship_id, with_program=False)
        old = [p for p in m.participants if p.role == Role.MENTOR and p.left_at is not None
               and p.left_at <= a.requested_at]
        former = max(old, key=lambda p: p.left_at) if old else None  # type: ignore[arg-type, return-value]
        mentor = current_mentor(m)
        rows.append({"number": a.order_number or "—", "date": a.order_date.strftime(DAY) if a.order_date else "—",
                     "mentees": ", ".join(p.person.full_name or "—" for p in current_mentees(m)) or "—",
                     "old": (former.person.full_name or "—") if former else "—",
                     "new": (mentor.person.full_name or "—") if mentor else "—",
                     "ground": t.plain(f"ground.{former.replacement_ground.value}")
                     if former and former.replacement_ground else "—"})
    context = {"org": org.name, "period": span.text, "replacements": rows, "today": today.strftime(DAY)}
    return await _document(f"replacement-order-{org_id}-{span.last.isoformat()}.docx", REPLACEMENT_ORDER, org_id,
                           folder, context)


async def journal(session: AsyncSession, actor: Actor, mentorship_id: int, now: datetime, i18n: I18n,
                  folder: Path | None, period: Period | Span = Period.YEAR) -> Document:
    """The mentor's journal of a pair or group for the period (by default the school year so far):
    the meetings, their hours and how many of the mentees confirmed each."""
    v = await view(session, actor, mentorship_id, now)
    today = local_today(now, v.timezone)
    span = _span(period, today)
    extract = await journal_between(session, actor, mentorship_id, span.first, span.last)
    t = i18n.get(None)
    meetings = [{"n": n, "date": r.held_on.strftime(DAY), "hours": _hours(r.duration_minutes),
                 "format": t.plain(f"meeting_format.{r.format.value}"), "topic": r.topic, "summary": r.summary,
                 "item": r.activity or "—",
                 "confirmed": t.plain("documents.part_of", part=r.confirmed, whole=r.asked) if r.asked else "—"}
                for n, r in enumerate(extract.rows, start=1)]
    context = {"org": v.organization_name, "mentor": v.mentor.name if v.mentor else "—",
               "mentees": ", ".join(m.name for m in v.mentees) or "—",
               "period": span.text, "meetings": meetings,
               "hours": _hours(sum(r.duration_minutes for r in extract.rows)), "today": today.strftime(DAY)}
    return await _document(f"journal-{v.id}-{span.last.isoformat()}.docx", JOURNAL, v.organization_id, folder,
                           context)


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".replace(".", ",")


FORMULAS = (  # seed 001: the indicators of the regional monitoring
    "МПн/МПо × 100 %, где МПн — число педагогов, участвующих в программах наставничества, МПо — общее число "
    "педагогов организации.",
    "МПм/МПо × 100 %, где МПм — число молодых педагогов (до 35 лет, в первые 3 года работы), охваченных "
    "наставничеством, МПо — общее число молодых педагогов.",
)
CONCLUSIONS_MAX = 3000


def plain(html_text: str) -> str:
    """A line of the bot's HTML as plain text, for a document."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", html_text))


async def annual_report(session: AsyncSession, actor: Actor, org_id: int, now: datetime, i18n: I18n,
                        folder: Path | None, conclusions: str = "") -> Document:
    """The curator's final analytical report for the school year so far (seed 000 §4.7.1, 004 §III.12.11–12):
    the indicators as /summary shows them, with their formulas; the programs with their results and growth;
    the weekly chart of meetings and help requests; and the curator's conclusions."""
    org = await _readable(session, actor, org_id)
    text = " ".join(conclusions.split())
    if len(text) > CONCLUSIONS_MAX:
        raise InvalidInput("profile.too_long", max=CONCLUSIONS_MAX, got=len(text))
    t = i18n.get(None)
    today = local_today(now, org.timezone)
    span = span_of(Period.YEAR, today)
    ind = (await summary.indicators(session, [org], now))[org.id]
    rows = []
    for n, mentorship_id in enumerate(await queries.programs_of(session, org_id), start=1):
        m = await load_mentorship(session, mentorship_id)
        grown = await growth(session, m)
        rows.append({"n": n, "title": pair_title(m), "status": t.plain(f"mstatus.{m.status.value}"),
                     "reason": t.plain(f"completion.{m.completion_reason.value}") if m.completion_reason else "—",
                     "self": _averages(t, grown, "self"), "mentor": _averages(t, grown, "mentor")})
    chart = await reports.weekly_chart(t, t.plain("summary.chart_title", org=org.name),
                                       await summary.week_figures(session, org, now))
    context = {"org": org.name, "period": span.text,
               "indicators": [plain(line) for line in reports.indicators_text(t, ind).splitlines()],
               "formulas": list(FORMULAS), "programs": rows, "conclusions": text or "—",
               "today": today.strftime(DAY)}
    return await _document(f"report-{org_id}-{today.isoformat()}.docx", REPORT, org_id, folder, context,
                           {"chart": chart})


def _averages(t: Translator, grown: list, who: str) -> str:
    """The mentees' average ratings, before → after ("—" where nothing is rated)."""
    parts = []
    for g in grown:
        before, after = g.mean(f"{who}_before"), g.mean(f"{who}_after")
        if before is not None or after is not None:
            parts.append(f"{g.mentee_name}: {reports.number(t, before)} → {reports.number(t, after)}")
    return "; ".join(parts) or "—"


async def _portfolio_context(session: AsyncSession, org: Organization, person_id: int, name: str, now: datetime,
                             t: Translator) -> dict[str, Any]:
    meetings, minutes = await queries.mentor_meetings(session, person_id, org.id)
    requests, rated, rating = await queries.answered_requests(session, person_id, org.id)
    programs = []
    for n, mentorship_id in enumerate(await queries.mentored_completed(session, person_id, org.id), start=1):
        m = await load_mentorship(session, mentorship_id)
        grown = await growth(session, m)
        programs.append({"n": n, "title": pair_title(m), "reason": t.plain(f"completion.{m.completion_reason.value}")
                         if m.completion_reason else "—", "self": _averages(t, grown, "self"),
                         "mentor": _averages(t, grown, "mentor")})
    return {"org": org.name, "mentor": name, "meetings": meetings, "hours": _hours(int(minutes)),
            "requests": requests, "rated": rated, "rating": reports.number(t, float(rating) if rating else None),
            "sessions": await queries.hosted_sessions(session, person_id, org.id), "programs": programs,
            "today": local_today(now, org.timezone).strftime(DAY)}


async def _mentor_here(session: AsyncSession, actor: Actor, org_id: int, person_id: int, *,
                       heads_only: bool) -> tuple[Organization, str]:
    """A mentor's own portfolio, or any mentor's for the curators and heads (the letter: the head)."""
    readers = (Role.HEAD,) if heads_only else READERS
    if not actor.has_role(org_id, *readers) and (heads_only or actor.person_id != person_id):
        raise AccessDenied("documents.only_curators")
    org = await session.get(Organization, org_id)
    names = dict((p, n) for p, n in await queries.mentors_of(session, org_id))
    if org is None or person_id not in names:
        raise NotFound()
    return org, names[person_id] or "—"


async def portfolio(session: AsyncSession, actor: Actor, org_id: int, person_id: int, now: datetime, i18n: I18n,
                    folder: Path | None) -> Document:
    """A mentor's portfolio for incentives and attestation (seed 000 §3.5, 002 §5, 004 §IX): confirmed
    meetings and hours, completed programs with their growth, help requests answered and rated, speed
    sessions hosted."""
    org, name = await _mentor_here(session, actor, org_id, person_id, heads_only=False)
    context = await _portfolio_context(session, org, person_id, name, now, i18n.get(None))
    return await _document(f"portfolio-{person_id}.docx", PORTFOLIO, org_id, folder, context)


async def letter_of_thanks(session: AsyncSession, actor: Actor, org_id: int, person_id: int, now: datetime,
                           i18n: I18n, folder: Path | None) -> Document:
    """The letter of thanks the head issues to a mentor, from the same figures."""
    org, name = await _mentor_here(session, actor, org_id, person_id, heads_only=True)
    context = await _portfolio_context(session, org, person_id, name, now, i18n.get(None))
    return await _document(f"thanks-{person_id}.docx", THANKS, org_id, folder, context)


def own_portfolios(actor: Actor) -> list[int]:
    """The organisations where the actor is a mentor and not a curator or head there: their own portfolio
    is a button of its own (the curators and heads reach every mentor's through `mentors_page`)."""
    return [org_id for org_id, _ in actor.orgs_where(Role.MENTOR) if not actor.has_role(org_id, *READERS)]


MENTORS_PAGE = 8


@dataclass(frozen=True)
class MentorsPage:
    org_id: int
    mentors: list[tuple[int, str]]  # (person, name) on this page
    page: int
    pages: int
    head: bool  # the reader may issue letters of thanks


async def mentors_page(session: AsyncSession, actor: Actor, org_id: int, page: int) -> MentorsPage:
    """A page of the organisation's mentors by name, for their portfolios: for its curators and heads."""
    await _readable(session, actor, org_id)
    mentors = [(person_id, name or "—") for person_id, name in await queries.mentors_of(session, org_id)]
    pages = max(1, (len(mentors) + MENTORS_PAGE - 1) // MENTORS_PAGE)
    page = min(max(page, 0), pages - 1)
    return MentorsPage(org_id, mentors[page * MENTORS_PAGE:(page + 1) * MENTORS_PAGE], page, pages,
                       actor.has_role(org_id, Role.HEAD))


async def region_report(session: AsyncSession, actor: Actor, now: datetime, i18n: I18n,
                        folder: Path | None) -> Document:
    """The coordinator's version of the report: the indicators in total and per organisation below, with
    nothing personal (services.coordinators' figures)."""
    area = await coordinators.region(session, actor, now)
    if not area.orgs:
        raise AccessDenied("summary.no_orgs")
    t = i18n.get(None)
    own = actor.orgs_where(Role.COORDINATOR)[0][0]
    zone = (await session.get(Organization, own)).timezone  # type: ignore[union-attr]
    orgs = [{"name": o.name, "programs_share": reports.percent(t, f.programs_share),
             "young_share": reports.percent(t, f.young_share), "pairs": f.active_pairs, "meetings": f.meetings_month,
             "grown": t.plain("documents.part_of", part=f.programs_grown, whole=f.programs_assessed)
             if f.programs_assessed else "—"}
            for o in area.orgs for f in [area.figures[o.id]]]
    context = {"org": t.plain("documents.region_title"), "orgs": orgs, "formulas": list(FORMULAS),
               "indicators": [plain(line) for line in reports.indicators_text(t, area.total).splitlines()],
               "today": local_today(now, zone).strftime(DAY)}
    return await _document(f"region-report-{local_today(now, zone).isoformat()}.docx", REGION_REPORT, own, folder,
                           context)


async def roadmap_docx(session: AsyncSession, actor: Actor, org_id: int, now: datetime, i18n: I18n,
                       folder: Path | None) -> Document:
    plan = await roadmap(session, actor, org_id, now, i18n.get(None))
    org = await session.get(Organization, org_id)
    context = {"org": plan.organization_name, "year": plan.year, "next_year": plan.year + 1,
               "stages": [vars(stage) for stage in plan.stages],
               "today": local_today(now, org.timezone if org else "UTC").strftime(DAY)}
    return await _document(f"roadmap-{org_id}-{plan.year}.docx", ROADMAP, org_id, folder, context)


__all__ = ["annual_report", "check_period_reader", "Document", "edit_stage", "journal", "letter_of_thanks",
           "mentors_page", "MentorsPage", "own_portfolios", "pairs_order", "Period", "portfolio", "program", "READERS",
           "region_report", "render", "replacement_order", "roadmap", "roadmap_docx", "Span", "typed_span"]
