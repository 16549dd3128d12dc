"""Personalised programs: goals, the plan, its items, extensions (seed 004 §VII)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.mentorships import queries
from bot.services.mentorships.approval_requests import approvals_on, request_approval
from bot.services.mentorships.notices import agree_or_refuse, notify_all
from bot.services.mentorships.queries import load_mentorship
from bot.services.mentorships.rules import (
    MAX_MONTHS,
    MAX_TOTAL_MONTHS,
    MIN_MONTHS,
    add_months,
    clean_text,
    local_today,
    viewer_role,
)
from bot.services.notify import Action, tell
from bot.services.people import current_mentees
from db.models import (
    ApprovalKind,
    Mentorship,
    MentorshipStatus,
    Organization,
    PlanItem,
    Program,
    ProgramExtension,
    Role,
)


async def open_item(session: AsyncSession, actor: Actor, item_id: int) -> tuple[PlanItem, Mentorship]:
    """A plan item not yet done, of an active program the actor takes part in (not as curator)."""
    item = await session.get(PlanItem, item_id)
    if item is None:
        raise NotFound()
    _, m, role = await _program(session, actor, item.program_id)
    if role == Role.CURATOR:
        raise AccessDenied("program.participants_only")
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("program.not_active")
    if item.done_at is not None:
        raise InvalidInput("program.item_done_already")
    return item, m


async def item_mentorship(session: AsyncSession, actor: Actor, item_id: int) -> int:
    """The mentorship of a plan item the actor may mark done (a current participant)."""
    return (await open_item(session, actor, item_id))[1].id


async def create_program(session: AsyncSession, actor: Actor, mentorship_id: int, *, goals: str, months: int,
                         now: datetime, i18n: I18n) -> int:
    """The program, put before the head where the organisation approves (the work does not wait)."""
    m = await load_mentorship(session, mentorship_id)
    role = viewer_role(actor, m)
    if role == Role.MENTEE:
        raise AccessDenied("program.only_mentor")
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("program.not_active")
    if m.program is not None:
        raise InvalidInput("program.exists")
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise InvalidInput("program.bad_length", min=MIN_MONTHS, max=MAX_MONTHS)
    org = await session.get(Organization, m.organization_id)
    assert org is not None
    mentee_ids = [p.person_id for p in current_mentees(m)]
    topic_ids = set().union(*(await queries.topics(session, m.organization_id, mentee_ids, Role.MENTEE)).values())
    titles = await queries.titles_in_order(session, topic_ids)
    start = local_today(now, org.timezone)
    program = Program(mentorship_id=m.id, goals=clean_text(goals), difficulties="; ".join(titles) or "—",
                      start_date=start, end_date=add_months(start, months), created_by_id=actor.person_id,
                      created_at=now)
    session.add(program)
    if await approvals_on(session, m.organization_id):
        await request_approval(session, m, ApprovalKind.PROGRAM, now, i18n)
    await session.commit()
    return program.id


async def _program(session: AsyncSession, actor: Actor, program_id: int) -> tuple[Program, Mentorship, Role]:
    program = await session.get(Program, program_id)
    if program is None:
        raise NotFound()
    m = await load_mentorship(session, program.mentorship_id)
    return m.program, m, viewer_role(actor, m)  # type: ignore[return-value]


async def check_due(session: AsyncSession, actor: Actor, program_id: int, due: date) -> Program:
    """A plan item's deadline must fall within the program; only its participants plan."""
    program, m, role = await _program(session, actor, program_id)
    if role == Role.CURATOR:
        raise AccessDenied("program.participants_only")
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("program.not_active")
    if not program.start_date <= due <= program.end_date:
        raise InvalidInput("program.due_outside", start=program.start_date.strftime("%d.%m.%Y"),
                           end=program.end_date.strftime("%d.%m.%Y"))
    return program


async def program_term(session: AsyncSession, actor: Actor, program_id: int,
                       now: datetime) -> tuple[date, date, date]:
    """The first and last day of a program and today in its organisation, for its participants (the
    deadline picker's range)."""
    program, m, role = await _program(session, actor, program_id)
    if role == Role.CURATOR:
        raise AccessDenied("program.participants_only")
    org = await session.get(Organization, m.organization_id)
    return program.start_date, program.end_date, local_today(now, org.timezone if org else "UTC")


async def add_item(session: AsyncSession, actor: Actor, program_id: int, *, activity: str, due: date,
                   expected: str, now: datetime) -> int:
    program = await check_due(session, actor, program_id, due)
    item = PlanItem(program_id=program.id, activity=clean_text(activity), due_date=due,
                    expected_result=clean_text(expected), created_by_id=actor.person_id, created_at=now)
    session.add(item)
    await session.commit()
    return item.id


async def complete_item(session: AsyncSession, actor: Actor, item_id: int, *, note: str | None,
                        now: datetime) -> None:
    item, _ = await open_item(session, actor, item_id)
    item.done_at = now
    item.completion_note = clean_text(note) if note else None
    await session.commit()


async def request_extension(session: AsyncSession, actor: Actor, program_id: int, *, months: int, now: datetime,
                            i18n: I18n) -> int:
    program, m, role = await _program(session, actor, program_id)
    if role == Role.CURATOR or m.status != MentorshipStatus.ACTIVE:
        raise AccessDenied("program.extension_participants")
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidInput("program.bad_extension")
    new_end = add_months(program.end_date, months)
    if new_end > add_months(program.start_date, MAX_TOTAL_MONTHS):
        raise InvalidInput("program.too_long", max=MAX_TOTAL_MONTHS)
    extension = ProgramExtension(program_id=program.id, old_end_date=program.end_date, new_end_date=new_end,
                                 requested_by_id=actor.person_id, requested_at=now, agreed_by="")
    session.add(extension)
    await session.flush()
    requester = next(p.person for p in m.participants if p.person_id == actor.person_id)
    for p in m.participants:
        if p.left_at is None and p.declined_at is None and p.person_id != actor.person_id:
            await tell(session, p.person, "program.extension_asked", now, i18n,
                        buttons=agree_or_refuse(i18n, p.person.locale, Action.ANSWER_EXTENSION,
                                                extension=extension.id),
                        name=requester.full_name or "—", old=program.end_date.strftime("%d.%m.%Y"),
                        new=new_end.strftime("%d.%m.%Y"))
    await session.commit()
    return extension.id


async def answer_extension(session: AsyncSession, actor: Actor, extension_id: int, *, accept: bool,
                           now: datetime, i18n: I18n) -> bool | None:
    """Returns True when the extension took effect, False when refused, None while others must agree."""
    extension = await session.get(ProgramExtension, extension_id)
    if extension is None:
        raise NotFound()
    program, m, role = await _program(session, actor, extension.program_id)
    if role == Role.CURATOR or actor.person_id == extension.requested_by_id:
        raise AccessDenied()
    agreed = {int(x) for x in extension.agreed_by.split(",") if x}
    if extension.decided_at is not None or actor.person_id in agreed:
        raise InvalidInput("error.stale_button")
    others = {p.person_id for p in m.participants if p.left_at is None and p.declined_at is None} - {
        extension.requested_by_id}
    if not accept:
        extension.decided_at, extension.accepted = now, False
        await notify_all(session, m, "program.extension_refused", now, i18n, curators=False,
                          new=extension.new_end_date.strftime("%d.%m.%Y"))
        await session.commit()
        return False
    agreed.add(actor.person_id)  # type: ignore[arg-type]
    extension.agreed_by = ",".join(map(str, sorted(agreed)))
    if others <= agreed:
        extension.decided_at, extension.accepted = now, True
        program.end_date = extension.new_end_date
        await notify_all(session, m, "program.extended", now, i18n, new=program.end_date.strftime("%d.%m.%Y"))
        await session.commit()
        return True
    await session.commit()
    return None
