"""Exports a curator can hand upward: one XLSX workbook of the organisation (people, pairs and
groups, programs and plan items, meetings, help requests, speed sessions, survey results in
aggregate, the indicators) and a CSV of the registry; for a coordinator, the indicators of every
organisation below theirs and the total.

Rows are streamed from the database (`session.stream`, `yield_per`) into openpyxl's write-only
workbook, which keeps each sheet in a temporary file: memory stays flat however large the
organisation. Headers are in the reader's language; dates and times in the organisation's zone.
"""
from __future__ import annotations

import csv
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import coordinators, summary
from bot.services.actor import Actor
from bot.services.dates import local_time
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.exports import queries
from bot.services.spreadsheet import TextRows, csv_row
from db.models import Membership, Organization, Person, Role

PERIODS = ("month", "prev_month", "year", "all")
INDICATOR_KEYS = ("teachers_total", "teachers_in_programs", "programs_share", "young_total", "young_covered",
                  "young_share", "programs", "programs_active", "active_pairs", "meetings_month", "hours_month",
                  "help_month", "help_median", "help_open", "help_overdue", "surveys", "survey_invited",
                  "survey_answered", "response_rate", "satisfaction")
BATCH = 1000


@dataclass
class Period:
    start: date | None  # local dates, the end excluded
    end: date | None

    def utc(self, zone: str) -> tuple[datetime | None, datetime | None]:
        def instant(day: date | None) -> datetime | None:
            return None if day is None else datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
        return instant(self.start), instant(self.end)


def period_for(name: str, now: datetime, zone: str) -> Period:
    """This month, last month, this school year (from 1 September) or everything."""
    today = now.astimezone(ZoneInfo(zone)).date()
    first = today.replace(day=1)
    if name == "month":
        return Period(first, None)
    if name == "prev_month":
        return Period((first - timedelta(days=1)).replace(day=1), first)
    if name == "year":
        return Period(date(today.year if today.month >= 9 else today.year - 1, 9, 1), None)
    if name == "all":
        return Period(None, None)
    raise InvalidInput()


async def _rows(session: AsyncSession, query: Any) -> AsyncIterator[Any]:
    result = await session.stream(query.execution_options(yield_per=BATCH))
    async for row in result:
        yield row


class _Book:
    """A write-only workbook with bold headers."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        self.book = Workbook(write_only=True)
        self.bold = Font(bold=True)

    def sheet(self, title: str, headers: list[str]) -> Any:
        from openpyxl.cell import WriteOnlyCell

        sheet = self.book.create_sheet(title[:31])
        cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = self.bold
            cells.append(cell)
        sheet.append(cells)
        return TextRows(sheet)

    def save(self, path: Path) -> None:
        self.book.save(path)


def _when(zone: str) -> Callable[[datetime | None], str | None]:
    return lambda moment: local_time(moment, zone) if moment else None


def _day(value: date | None) -> str | None:
    return value.strftime("%d.%m.%Y") if value else None


def _yes(t: Translator, value: bool | None) -> str | None:
    return None if value is None else t.plain("btn.yes" if value else "btn.no")


REGISTRY_COLUMNS = ("name", "role", "position", "subject", "experience", "under_35", "category", "capacity")


async def _registry(session: AsyncSession, org_id: int,
                    t: Translator) -> AsyncIterator[tuple[list[Any], Membership, Person]]:
    """The organisation's current people, a row a role (REGISTRY_COLUMNS), for the sheet and the CSV."""
    async for m, p in _rows(session, queries.registry(org_id)):
        yield ([p.full_name, t.plain(f"role.{m.role.value}"), p.position, p.subject, p.experience_years,
                _yes(t, p.under_35), t.plain(f"category.{m.mentee_category.value}") if m.mentee_category else None,
                m.capacity], m, p)


async def _names(session: AsyncSession, org_id: int) -> dict[int, tuple[str, list[str]]]:
    """Mentor and mentees of every pair and group of the organisation (as now), by mentorship."""
    people: dict[int, tuple[str, list[str]]] = {}
    async for mentorship_id, role, name in _rows(session, queries.participants(org_id)):
        mentor, mentees = people.get(mentorship_id, ("—", []))
        if role == Role.MENTOR:
            mentor = name or "—"
        else:
            mentees.append(name or "—")
        people[mentorship_id] = (mentor, mentees)
    return people


async def organisation_workbook(session: AsyncSession, actor: Actor, org_id: int, period_name: str, now: datetime,
                                t: Translator, path: Path) -> None:
    org = await session.get(Organization, org_id)
    if org is None or not actor.has_role(org_id, *summary.READERS):
        raise AccessDenied("summary.not_yours")
    period = period_for(period_name, now, org.timezone)
    lo, hi = period.utc(org.timezone)
    when = _when(org.timezone)
    h = lambda *keys: [t.plain(f"export.col.{k}") for k in keys]  # noqa: E731 - a local shorthand
    book = _Book()

    sheet = book.sheet(t.plain("export.sheet.people"), h(*REGISTRY_COLUMNS, "since", "unreachable"))
    async for row, m, p in _registry(session, org_id, t):
        sheet.append(row + [when(m.created_at), when(p.unreachable_at)])

    names = await _names(session, org_id)
    sheet = book.sheet(t.plain("export.sheet.pairs"), h(
        "pair", "form", "kind", "status", "mentor", "mentees", "started", "ended", "reason"))
    async for (m,) in _rows(session, queries.pairs(org_id)):
        mentor, mentees = names.get(m.id, ("—", []))
        sheet.append([m.id, t.plain(f"form.{m.form.value}"), t.plain(f"kind.{m.kind.value}"),
                      t.plain(f"mstatus.{m.status.value}"), mentor, ", ".join(mentees), when(m.started_at),
                      when(m.ended_at), t.plain(f"completion.{m.completion_reason.value}") if m.completion_reason
                      else None])

    sheet = book.sheet(t.plain("export.sheet.programs"), h("pair", "goals", "difficulties", "start", "end"))
    async for (p,) in _rows(session, queries.programs(org_id)):
        sheet.append([p.mentorship_id, p.goals, p.difficulties, _day(p.start_date), _day(p.end_date)])

    sheet = book.sheet(t.plain("export.sheet.items"), h("pair", "activity", "due", "expected", "done", "note"))
    async for mentorship_id, item in _rows(session, queries.plan_items(org_id)):
        sheet.append([mentorship_id, item.activity, _day(item.due_date), item.expected_result, when(item.done_at),
                      item.completion_note])

    sheet = book.sheet(t.plain("export.sheet.meetings"), h(
        "pair", "date", "minutes", "format", "channel", "topic", "summary", "next_steps"))
    async for (meeting,) in _rows(session, queries.meetings(org_id, period.start, period.end)):
        sheet.append([meeting.mentorship_id, _day(meeting.held_on), meeting.duration_minutes,
                      t.plain(f"meeting_format.{meeting.format.value}"), meeting.channel, meeting.topic,
                      meeting.summary, meeting.next_steps])

    sheet = book.sheet(t.plain("export.sheet.requests"), h(
        "request", "created", "topic", "status", "mentee", "mentor", "taken", "first_answer", "closed", "rating"))
    async for r, topic, mentee_name, mentor_name in _rows(session, queries.help_requests(org_id, lo, hi)):
        sheet.append([r.id, when(r.created_at), topic, t.plain(f"hstatus.{r.status.value}"), mentee_name,
                      mentor_name, when(r.taken_at), when(r.first_answer_at), when(r.closed_at), r.rating])

    sheet = book.sheet(t.plain("export.sheet.speed"), h(
        "topic", "host", "starts", "minutes", "place", "capacity", "registered", "attended", "feedback", "status"))
    async for s, host, registered, came, feedback in _rows(session, queries.speed_sessions(org_id, lo, hi)):
        sheet.append([s.topic, host, when(s.starts_at), s.duration_minutes, s.place, s.capacity, registered or 0,
                      int(came or 0), round(float(feedback), 2) if feedback is not None else None,
                      t.plain(f"sstatus.{s.status.value}")])

    sheet = book.sheet(t.plain("export.sheet.surveys"), h(
        "survey", "status", "deadline", "invited", "answered", "mean"))
    async for s, invited, done in _rows(session, queries.surveys(org_id, lo, hi)):
        title = t.plain(f"survey.template.{s.template}") if s.template else s.title
        # a mean only where the survey's results may be shown (it was kept at closing for those)
        sheet.append([title, t.plain(f"survey_status.{s.status.value}"), when(s.deadline), invited or 0,
                      int(done or 0), round(s.mean_score, 2) if s.mean_score is not None else None])

    ind = (await summary.indicators(session, [org], now))[org.id]
    sheet = book.sheet(t.plain("export.sheet.indicators"), h("indicator", "value"))
    for row in indicator_rows(t, ind):
        sheet.append(row)
    book.save(path)


def indicator_rows(t: Translator, ind: summary.Indicators) -> list[list[Any]]:
    """(name, value) rows of the indicators, numbers as numbers."""

    def share(value: float | None) -> float | None:
        return round(value, 1) if value is not None else None

    rows = [[t.plain(f"export.indicator.{key}"), value] for key, value in (
        ("teachers_total", ind.teachers_total), ("teachers_in_programs", ind.teachers_in_programs),
        ("programs_share", share(ind.programs_share)), ("young_total", ind.young_total),
        ("young_covered", ind.young_covered), ("young_share", share(ind.young_share)),
        ("programs", ind.programs), ("programs_active", ind.programs_active), ("active_pairs", ind.active_pairs),
        ("meetings_month", ind.meetings_month), ("hours_month", round(ind.minutes_month / 60, 2)),
        ("help_month", ind.help_month),
        ("help_median", round(ind.help_median_minutes) if ind.help_median_minutes is not None else None),
        ("help_open", ind.help_open), ("help_overdue", ind.help_overdue), ("surveys", ind.surveys),
        ("survey_invited", ind.survey_invited), ("survey_answered", ind.survey_answered),
        ("response_rate", share(ind.response_rate)),
        ("satisfaction", round(ind.satisfaction, 2) if ind.satisfaction is not None else None))]
    assert len(rows) == len(INDICATOR_KEYS)
    return rows


async def registry_csv(session: AsyncSession, actor: Actor, org_id: int, t: Translator, path: Path) -> None:
    """The registry («банк наставников и наставляемых») as CSV (UTF-8 with BOM, `;`: Excel opens it)."""
    org = await session.get(Organization, org_id)
    if org is None or not actor.has_role(org_id, *summary.READERS):
        raise AccessDenied("summary.not_yours")
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow([t.plain(f"export.col.{k}") for k in REGISTRY_COLUMNS])
        async for row, _, _ in _registry(session, org_id, t):
            writer.writerow(csv_row(row))




async def coordinator_workbook(session: AsyncSession, actor: Actor, now: datetime, t: Translator, path: Path) -> int:
    """One row per organisation below the coordinator's, and the total. Returns how many organisations."""
    area = await coordinators.region(session, actor, now)
    if not area.orgs:
        raise AccessDenied("summary.no_orgs")
    orgs, figures = area.orgs, area.figures
    book = _Book()
    sheet = book.sheet(t.plain("export.sheet.by_org"), [
        t.plain("export.col.org")] + [t.plain(f"export.indicator.{key}") for key in INDICATOR_KEYS])
    for org in orgs:
        sheet.append([org.name] + [value for _, value in indicator_rows(t, figures[org.id])])
    sheet.append([t.plain("export.total")] + [value for _, value in indicator_rows(t, area.total)])
    book.save(path)
    return len(orgs)
