"""The documents a school keeps, generated as DOCX from templates (seed 000 §1.1, §4.6; 003 §1.1): the
personalised program of a pair or group, the mentor's journal of its meetings, and the order fixing the
pairs approved in a period. Made
with docxtpl — Jinja2 tags in a Word document, so that a school edits its template in Word, and
autoescaping, so that any name or text is printed as typed — rendered off the event loop. Who may get
which: a program, its participants and the organisation's curators and heads; an order, the curators
and heads."""
from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.documents import queries
from bot.services.documents.templates import JOURNAL, PAIRS_ORDER, PROGRAM, template_for
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.journal import journal_between
from bot.services.mentorships import load_mentorship, local_today, view
from bot.services.people import current_mentees, current_mentor
from bot.services.surveys import school_year
from db.models import Organization, Role

READERS = (Role.CURATOR, Role.HEAD)
DAY = "%d.%m.%Y"


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes


def render(template: bytes, context: dict[str, Any]) -> bytes:
    """The template filled in (every value escaped: shown as typed)."""
    doc = DocxTemplate(io.BytesIO(template))
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


async def _render(name: str, org_id: int, folder: Path | None, context: dict[str, Any]) -> bytes:
    return await asyncio.to_thread(render, template_for(name, org_id, folder), context)


def _mark(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


async def program(session: AsyncSession, actor: Actor, mentorship_id: int, now: datetime, i18n: I18n,
                  folder: Path | None) -> Document:
    v = await view(session, actor, mentorship_id, now)  # who may see the pair may have its program
    if v.program_id is None:
        raise InvalidInput("documents.no_program")
    t = i18n.get(None)
    items = [{"n": n, "activity": i.activity, "due": i.due_date.strftime(DAY), "expected": i.expected_result,
              "done": t.plain("btn.yes") if i.done else t.plain("btn.no"), "note": i.completion_note or ""}
             for n, i in enumerate(v.items, start=1)]
    grown = [{"mentee": g.mentee_name, "title": i.title, "self": f"{_mark(i.self_before)} → {_mark(i.self_after)}",
              "mentor": f"{_mark(i.mentor_before)} → {_mark(i.mentor_after)}"} for g in v.growth for i in g.items]
    context = {"org": v.organization_name, "mentor": v.mentor.name if v.mentor else "—",
               "mentees": ", ".join(m.name for m in v.mentees) or "—", "form": t.plain(f"form.{v.form.value}"),
               "kind": t.plain(f"kind.{v.kind.value}"), "start": v.start_date.strftime(DAY) if v.start_date else "—",
               "end": v.end_date.strftime(DAY) if v.end_date else "—", "goals": v.goals or "—",
               "difficulties": v.difficulties or "—", "items": items, "growth": grown,
               "today": local_today(now, v.timezone).strftime(DAY)}
    content = await _render(PROGRAM, v.organization_id, folder, context)
    return Document(f"program-{v.id}.docx", content)


async def pairs_order(session: AsyncSession, actor: Actor, org_id: int, now: datetime, i18n: I18n,
                      folder: Path | None, *, first: date | None = None, last: date | None = None) -> Document:
    """The order fixing the pairs and groups approved within the period (by default the school year so far)."""
    if not actor.has_role(org_id, *READERS):
        raise AccessDenied("documents.only_curators")
    org = await session.get(Organization, org_id)
    if org is None:
        raise NotFound()
    today = local_today(now, org.timezone)
    first = first or date(school_year(today), 9, 1)
    last = last or today
    t = i18n.get(None)
    pairs = []
    for a in await queries.approved_pairs(session, org_id, first, last):
        m = await load_mentorship(session, a.mentorship_id, with_program=False)
        mentor = current_mentor(m)
        pairs.append({"number": a.order_number or "—", "date": a.order_date.strftime(DAY) if a.order_date else "—",
                      "mentor": (mentor.person.full_name or "—") if mentor else "—",
                      "mentees": ", ".join(p.person.full_name or "—" for p in current_mentees(m)) or "—",
                      "form": t.plain(f"form.{m.form.value}"), "kind": t.plain(f"kind.{m.kind.value}")})
    context = {"org": org.name, "period": f"{first.strftime(DAY)} — {last.strftime(DAY)}", "pairs": pairs,
               "today": today.strftime(DAY)}
    content = await _render(PAIRS_ORDER, org_id, folder, context)
    return Document(f"pairs-order-{org_id}-{last.isoformat()}.docx", content)


async def journal(session: AsyncSession, actor: Actor, mentorship_id: int, now: datetime, i18n: I18n,
                  folder: Path | None, *, first: date | None = None, last: date | None = None) -> Document:
    """The mentor's journal of a pair or group for the period (by default the school year so far):
    the meetings, their hours and how many of the mentees confirmed each."""
    v = await view(session, actor, mentorship_id, now)
    today = local_today(now, v.timezone)
    first = first or date(school_year(today), 9, 1)
    last = last or today
    extract = await journal_between(session, actor, mentorship_id, first, last)
    t = i18n.get(None)
    meetings = [{"n": n, "date": r.held_on.strftime(DAY), "hours": _hours(r.duration_minutes),
                 "format": t.plain(f"meeting_format.{r.format.value}"), "topic": r.topic, "summary": r.summary,
                 "item": r.activity or "—", "confirmed": t.plain("documents.confirmed_of", confirmed=r.confirmed, asked=r.asked) if r.asked else "—"}
                for n, r in enumerate(extract.rows, start=1)]
    context = {"org": v.organization_name, "mentor": v.mentor.name if v.mentor else "—",
               "mentees": ", ".join(m.name for m in v.mentees) or "—",
               "period": f"{first.strftime(DAY)} — {last.strftime(DAY)}", "meetings": meetings,
               "hours": _hours(sum(r.duration_minutes for r in extract.rows)), "today": today.strftime(DAY)}
    content = await _render(JOURNAL, v.organization_id, folder, context)
    return Document(f"journal-{v.id}-{last.isoformat()}.docx", content)


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".replace(".", ",")


__all__ = ["READERS", "Document", "journal", "pairs_order", "program", "render"]
