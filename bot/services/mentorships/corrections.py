"""Correcting a running program (seed 004 §VII.2; seed 001, road map 7.3). The plan is joint (seed 000
§1.7, 004 §V.1.2): the mentor and the mentees edit and delete plan items and change the goals; the
curator changes the form and the kind. Every change is kept (`ProgramChange`: who, when, what it was
before and after), and the other participants are told in the same transaction."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n, Safe, Translator
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.mentorships import queries
from bot.services.mentorships.notices import describe
from bot.services.mentorships.programs import check_due, open_item
from bot.services.mentorships.queries import load_mentorship
from bot.services.mentorships.rules import check_curator, clean_text, viewer_role
from bot.services.notify import Action, Button, tell
from bot.services.people import current_mentees
from db.models import (
    MentoringForm,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    ProgramChange,
    ProgramChangeKind,
    Role,
)

ITEM_FIELDS = (ProgramChangeKind.ITEM_ACTIVITY, ProgramChangeKind.ITEM_DUE, ProgramChangeKind.ITEM_EXPECTED)
HISTORY_SHOWN = 20


@dataclass(frozen=True)
class ItemCard:
    """A plan item open to correction, as its menu shows it."""

    id: int
    mentorship_id: int
    activity: str
    due_date: date
    expected_result: str
    program_id: int


@dataclass(frozen=True)
class ChangeEntry:
    kind: ProgramChangeKind
    before: str
    after: str
    author: str
    changed_at: datetime


async def item_card(session: AsyncSession, actor: Actor, item_id: int) -> ItemCard:
    """An item not yet done of an active program the actor takes part in (a done item is a record of
    what happened and stays as it is)."""
    item, m = await open_item(session, actor, item_id)
    return ItemCard(item.id, m.id, item.activity, item.due_date, item.expected_result, item.program_id)


def change_line(t: Translator, change: ProgramChange | ChangeEntry) -> str:
    """One change in words, in the reader's language (HTML, its values escaped)."""
    kind, before, after = change.kind, change.before, change.after
    if kind == ProgramChangeKind.ITEM_DELETED:
        item = json.loads(before)
        return t("change.item_deleted", activity=item["activity"], due=_day(item["due"]))
    if kind == ProgramChangeKind.ITEM_DUE:
        return t("change.item_due", before=_day(before), after=_day(after))
    if kind in (ProgramChangeKind.FORM, ProgramChangeKind.KIND):
        prefix = "form" if kind == ProgramChangeKind.FORM else "kind"
        return t(f"change.{kind.value}", before=t.plain(f"{prefix}.{before}"), after=t.plain(f"{prefix}.{after}"))
    return t(f"change.{kind.value}", before=before, after=after)


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y")


async def _record(session: AsyncSession, actor: Actor, m: Mentorship, kind: ProgramChangeKind, before: str,
                  after: str, now: datetime, i18n: I18n, *, item_id: int | None = None,
                  item: str | None = None) -> None:
    change = ProgramChange(mentorship_id=m.id, kind=kind, item_id=item_id, before=before, after=after,
                           changed_by_id=actor.person_id, changed_at=now)
    session.add(change)
    author = next((p.person.full_name for p in m.participants if p.person_id == actor.person_id), None)
    if author is None:
        author = await queries.person_name(session, actor.person_id) if actor.person_id else None

    def line(locale: str | None) -> Safe:
        text = change_line(i18n.get(locale), change)
        if item is not None and kind != ProgramChangeKind.ITEM_DELETED:
            text = i18n.get(locale)("change.of_item", item=item) + " " + text
        return Safe(text)

    # each recipient reads the change in their own language
    for person in [p.person for p in m.participants if p.left_at is None and p.declined_at is None]:
        if person.id == actor.person_id:
            continue
        t = i18n.get(person.locale)
        await tell(session, person, "program.changed", now, i18n, change=line(person.locale), name=author or "—",
                   buttons=[[Button(t.plain("btn.open_program"), Action.SHOW_PROGRAM, {"mentorship": m.id})]],
                   **describe(m, i18n, person.locale))


async def edit_item(session: AsyncSession, actor: Actor, item_id: int, kind: ProgramChangeKind, value: str | date,
                    now: datetime, i18n: I18n) -> int:
    """Change one field of a plan item; returns the mentorship's id."""
    if kind not in ITEM_FIELDS:
        raise InvalidInput()
    item, m = await open_item(session, actor, item_id)
    label = item.activity
    if kind == ProgramChangeKind.ITEM_DUE:
        if not isinstance(value, date):
            raise InvalidInput("program.bad_date")
        await check_due(session, actor, item.program_id, value)
        before, after = item.due_date.isoformat(), value.isoformat()
        item.due_date = value
    else:
        text = clean_text(str(value))
        if kind == ProgramChangeKind.ITEM_ACTIVITY:
            before, item.activity = item.activity, text
        else:
            before, item.expected_result = item.expected_result, text
        after = text
    if before == after:
        raise InvalidInput("change.same")
    await _record(session, actor, m, kind, before, after, now, i18n, item_id=item.id, item=label)
    await session.commit()
    return m.id


async def delete_item(session: AsyncSession, actor: Actor, item_id: int, now: datetime, i18n: I18n) -> int:
    """Take an item out of the plan; its text stays in the history. Returns the mentorship's id."""
    item, m = await open_item(session, actor, item_id)
    before = json.dumps({"activity": item.activity, "due": item.due_date.isoformat(),
                         "expected": item.expected_result}, ensure_ascii=False)
    await queries.unlink_meetings(session, item.id)  # the journal keeps its meetings, not the link
    await _record(session, actor, m, ProgramChangeKind.ITEM_DELETED, before, "", now, i18n, item_id=item.id)
    await session.delete(item)
    await session.commit()
    return m.id


async def change_goals(session: AsyncSession, actor: Actor, mentorship_id: int, goals: str, now: datetime,
                       i18n: I18n) -> None:
    m = await _running(session, actor, mentorship_id, participants=True)
    if m.program is None:
        raise InvalidInput("program.no_program")
    text = clean_text(goals)
    if text == m.program.goals:
        raise InvalidInput("change.same")
    before, m.program.goals = m.program.goals, text
    await _record(session, actor, m, ProgramChangeKind.GOALS, before, text, now, i18n)
    await session.commit()


async def change_form_kind(session: AsyncSession, actor: Actor, mentorship_id: int, form: MentoringForm,
                           kind: MentoringKind, now: datetime, i18n: I18n) -> None:
    """The curator corrects the form and the kind (seed 001: the forms; 004 §II.4: the kinds)."""
    m = await _running(session, actor, mentorship_id, participants=False)
    if form == m.form and kind == m.kind:
        raise InvalidInput("change.same")
    if kind == MentoringKind.GROUP and len(current_mentees(m)) < 2:
        raise InvalidInput("change.group_kind")
    if form != m.form:
        before, m.form = m.form, form
        await _record(session, actor, m, ProgramChangeKind.FORM, before.value, form.value, now, i18n)
    if kind != m.kind:
        before_kind, m.kind = m.kind, kind
        await _record(session, actor, m, ProgramChangeKind.KIND, before_kind.value, kind.value, now, i18n)
    await session.commit()


async def _running(session: AsyncSession, actor: Actor, mentorship_id: int, *, participants: bool) -> Mentorship:
    m = await load_mentorship(session, mentorship_id)
    role = viewer_role(actor, m)
    if participants and role == Role.CURATOR:
        raise AccessDenied("program.participants_only")
    if not participants:
        await check_curator(actor, m.organization_id)
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("program.not_active")
    return m


async def changes(session: AsyncSession, actor: Actor, mentorship_id: int) -> tuple[list[ChangeEntry], int]:
    """The latest changes, newest first, for whoever may see the program; and how many there are."""
    m = await load_mentorship(session, mentorship_id, with_program=False)
    viewer_role(actor, m)
    rows, total = await queries.program_changes(session, m.id, HISTORY_SHOWN)
    return [ChangeEntry(c.kind, c.before, c.after, name or "—", c.changed_at) for c, name in rows], total

