"""The mentor's meeting journal («журнал наставника»): meetings of a pair or group, confirmed or
commented by the mentees; the curator sees every journal and the pairs that have not met lately."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services import meetings
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.journal import queries
from bot.services.journal.queries import JOURNAL_COMMENTS, JOURNAL_PAGE, JOURNAL_TOTALS, PAGE
from bot.services.mentorships import (
    REMINDER_HOUR,
    MentorshipView,
    clean_text,
    describe,
    load_mentorship,
    local_today,
    my_mentorships,
    pair_people,
    view,
)
from bot.services.notify import Action, Button, Buttons, tell
from bot.services.numbers import is_whole
from bot.services.people import CURATORS, current_mentees, current_mentor, named_participants, pair_titles
from db.models import MeetingConfirmation, MeetingFormat, MeetingLog, MentorshipStatus, Organization, Role
from db.repositories import plain_rows

DURATION_MAX = 600


QUIET_DAYS = 30  # the curator is told (the summary, the digest)
NUDGE_DAYS = 21  # the pair itself is reminded first


LOG_DAYS_BACK = 366  # a meeting is logged within a year of it


@dataclass
class MeetingDraft:
    held_on: date
    duration_minutes: int
    format: MeetingFormat
    channel: str | None
    topic: str
    summary: str
    next_steps: str | None
    plan_item_id: int | None
    planned_meeting_id: int | None = None  # the planned meeting this entry records (services.meetings)


def parse_duration(raw: str) -> int:
    text = raw.strip()
    if not is_whole(text) or not 5 <= int(text) <= DURATION_MAX:
        raise InvalidInput("journal.bad_duration", max=DURATION_MAX)
    return int(text)


async def loggable(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """Active mentorships where the actor is the mentor: only mentors keep the journal."""
    if actor.person_id is None:
        raise AccessDenied("error.not_registered")
    mine = queries.mentored_by(actor.person_id)
    result = [(mid, ", ".join(name or "—" for name in mentees))
              for mid, (_, mentees) in (await named_participants(session, mine)).items()]
    if not result:
        raise AccessDenied("journal.only_mentors")
    return result


async def _as_mentor(session: AsyncSession, actor: Actor, mentorship_id: int, now: datetime) -> MentorshipView:
    """The pair or group as its current mentor sees it (one statement: `view`); only they keep its journal."""
    v = await view(session, actor, mentorship_id, now)
    if v.viewer_role != Role.MENTOR:
        raise AccessDenied("journal.only_mentors")
    return v


async def open_items(session: AsyncSession, actor: Actor, mentorship_id: int, now: datetime) -> list[tuple[int, str]]:
    v = await _as_mentor(session, actor, mentorship_id, now)
    return [(i.id, i.activity) for i in v.items if not i.done]


def _confirm_buttons(i18n: I18n, locale: str | None, meeting_id: int) -> Buttons:
    t = i18n.get(locale)
    return [[Button(t.plain("btn.meeting_confirm"), Action.CONFIRM_MEETING, {"meeting": meeting_id, "comment": False}),
             Button(t.plain("btn.meeting_comment"), Action.CONFIRM_MEETING, {"meeting": meeting_id, "comment": True})]]


async def check_date(session: AsyncSession, actor: Actor, mentorship_id: int, held_on: date,
                     now: datetime) -> None:
    """A meeting is logged for today or a past day within a year (in the organisation's zone)."""
    _check_held_on(await _as_mentor(session, actor, mentorship_id, now), held_on, now)


def _check_held_on(v: MentorshipView, held_on: date, now: datetime) -> None:
    today = local_today(now, v.timezone)
    if held_on > today or held_on < today - timedelta(days=LOG_DAYS_BACK):
        raise InvalidInput("journal.bad_date")


async def log_meeting(session: AsyncSession, actor: Actor, mentorship_id: int, draft: MeetingDraft, now: datetime,
                      i18n: I18n) -> int:
    v = await _as_mentor(session, actor, mentorship_id, now)
    if v.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("program.not_active")
    _check_held_on(v, draft.held_on, now)
    if draft.plan_item_id is not None and draft.plan_item_id not in {i.id for i in v.items}:
        raise NotFound()
    meeting = MeetingLog(
        mentorship_id=v.id, logged_by_id=actor.person_id, held_on=draft.held_on,
        duration_minutes=parse_duration(str(draft.duration_minutes)), format=draft.format,
        channel=clean_text(draft.channel, 200) if draft.channel else None, topic=clean_text(draft.topic),
        summary=clean_text(draft.summary), next_steps=clean_text(draft.next_steps) if draft.next_steps else None,
        plan_item_id=draft.plan_item_id, created_at=now)
    session.add(meeting)
    await session.flush()
    if draft.planned_meeting_id is not None:
        await meetings.mark_held(session, draft.planned_meeting_id, v.id, meeting.id, now)
    for mentee in v.mentees:
        session.add(MeetingConfirmation(meeting_id=meeting.id, person_id=mentee.person_id))
        await tell(session, mentee, "journal.please_confirm", now, i18n,
                    buttons=_confirm_buttons(i18n, mentee.locale, meeting.id),
                    mentor=v.mentor.name if v.mentor else "—", date=draft.held_on.strftime("%d.%m.%Y"),
                    minutes=meeting.duration_minutes, topic=meeting.topic, summary=meeting.summary)
    await session.commit()
    return meeting.id


async def confirm_allowed(session: AsyncSession, actor: Actor, meeting_id: int) -> None:
    """The actor is asked to confirm this meeting (before asking them for a comment)."""
    if await queries.confirmation_of(session, meeting_id, actor.person_id) is None:
        raise AccessDenied()


async def confirm(session: AsyncSession, actor: Actor, meeting_id: int, *, comment: str | None, now: datetime,
                  i18n: I18n) -> None:
    row = await queries.confirmation_of(session, meeting_id, actor.person_id)
    if row is None:
        raise AccessDenied()
    if comment is None and row.confirmed_at is not None:
        raise InvalidInput("error.stale_button")
    if comment is None:
        row.confirmed_at = now
    else:
        row.comment = clean_text(comment)
        meeting = await session.get(MeetingLog, meeting_id)
        m = await load_mentorship(session, meeting.mentorship_id)  # type: ignore[union-attr]
        mentor = current_mentor(m)
        me = next((p.person for p in m.participants if p.person_id == actor.person_id), None)
        if mentor is not None:
            await tell(session, mentor.person, "journal.commented", now, i18n, name=me.full_name if me else "—",
                        date=meeting.held_on.strftime("%d.%m.%Y"), comment=row.comment)  # type: ignore[union-attr]
    await session.commit()


@dataclass
class MeetingView:
    id: int
    held_on: date
    duration_minutes: int
    format: MeetingFormat
    channel: str | None
    topic: str
    summary: str
    next_steps: str | None
    plan_item: str | None
    confirmed: int
    of: int
    comments: list[str]


@dataclass
class JournalPage:
    mentorship_id: int
    title: str
    page: int
    pages: int
    total: int
    hours: float
    meetings: list[MeetingView]


async def journal(session: AsyncSession, actor: Actor, mentorship_id: int, page: int = 0) -> JournalPage:
    """A pair's or group's journal, newest first, for its participants and the organisation's curators."""
    people = await pair_people(session, mentorship_id)
    people.role_of(actor)  # AccessDenied for anyone else
    return await _page(session, mentorship_id, people.title, page)


@dataclass(frozen=True)
class JournalExtract:
    """A pair's meetings in a period, for the mentor's journal as a document."""

    title: str
    organization_id: int
    rows: list[Row]


async def journal_between(session: AsyncSession, actor: Actor, mentorship_id: int, first: date,
                          last: date) -> JournalExtract:
    """For its participants and the organisation's curators, like the journal itself."""
    people = await pair_people(session, mentorship_id)
    people.role_of(actor)
    rows = list(await queries.meetings_between(session, mentorship_id, first, last))
    return JournalExtract(people.title, people.organization_id, rows)


async def my_journal(session: AsyncSession, actor: Actor, *, open_single: bool = True
                     ) -> tuple[list[tuple[int, str]], JournalPage | None]:
    """The pairs and groups whose journals the actor may read (`my_mentorships`: their own, and as a
    curator their organisations') and, with `open_single` when there is just one, its first page. That
    query is the access check: it finds only what the actor may see."""
    pairs = await my_mentorships(session, actor)
    if open_single and len(pairs) == 1:
        return pairs, await _page(session, pairs[0][0], pairs[0][1], 0)
    return pairs, None


async def _page(session: AsyncSession, mentorship_id: int, title: str, page: int) -> JournalPage:
    """A page of a journal the caller may see (checked before): usually one statement."""
    page = max(page, 0)
    rows = await plain_rows(session, JOURNAL_PAGE, {"mentorship_id": mentorship_id, "offset": page * PAGE})
    if rows:
        total, minutes = rows[0].total, rows[0].minutes
    elif page == 0:  # no meetings yet
        total, minutes = 0, 0
    else:  # a page past the end (an old button): the totals tell where the end is
        total, minutes = (await plain_rows(session, JOURNAL_TOTALS, {"mentorship_id": mentorship_id}))[0]
    pages = max(1, -(-total // PAGE))
    if page > pages - 1:
        page = pages - 1
        rows = await plain_rows(session, JOURNAL_PAGE, {"mentorship_id": mentorship_id, "offset": page * PAGE})
    comments: dict[int, list[str]] = {row.id: [] for row in rows}
    commented = [row.id for row in rows if row.commented]
    if commented:
        for meeting_id, comment in await plain_rows(session, JOURNAL_COMMENTS, {"ids": commented}):
            comments[meeting_id].append(comment)
    return JournalPage(mentorship_id, title, page, pages, total, (minutes or 0) / 60, [
        MeetingView(r.id, r.held_on, r.duration_minutes, r.format, r.channel, r.topic, r.summary, r.next_steps,
                    r.activity, r.confirmed, r.asked, comments[r.id])
        for r in rows])


async def quiet_pairs(session: AsyncSession, actor: Actor, org_id: int, now: datetime) -> list[tuple[int, str, date | None]]:
    """Active pairs and groups of the organisation with no meeting in the last 30 days."""
    if not actor.has_role(org_id, *CURATORS):
        raise AccessDenied("journal.only_curators")
    org = await session.get(Organization, org_id)
    assert org is not None
    since = local_today(now, org.timezone) - timedelta(days=QUIET_DAYS)
    rows = await queries.quiet_since(session, org_id, since)
    titles = await pair_titles(session, [mentorship_id for mentorship_id, _ in rows])
    return [(mentorship_id, titles[mentorship_id], last_date) for mentorship_id, last_date in rows]


async def send_quiet_nudges(session: AsyncSession, now: datetime, i18n: I18n) -> int:
    """From 09:00 local time, a pair or group with no meeting for 21 days (counted from its start when
    it has had none) gets a gentle reminder, once for each quiet spell: a meeting logged starts a new
    one. The curator hears of it at 30 days, in the summary and the digest. Returns the notices queued."""
    rows = await queries.quiet_everywhere(session, now.date() - timedelta(days=NUDGE_DAYS - 1))
    sent = 0
    for mentorship_id, last, started_at, zone in rows:
        local = now.astimezone(ZoneInfo(zone))
        since = last or (started_at.astimezone(ZoneInfo(zone)).date() if started_at else None)
        if since is None or local.time() < time(REMINDER_HOUR) or (local.date() - since).days < NUDGE_DAYS:
            continue
        m = await load_mentorship(session, mentorship_id, with_program=False)
        key = "journal.quiet_nudge" if last else "journal.quiet_nudge_none"
        for p in [current_mentor(m), *current_mentees(m)]:
            if p is not None:
                await tell(session, p.person, key, now, i18n, since=since.strftime("%d.%m.%Y"), days=NUDGE_DAYS,
                           dedup_key=f"quiet:{m.id}:{since.isoformat()}:{p.person_id}",
                           **describe(m, i18n, p.person.locale))
                sent += 1
    await session.commit()
    return sent


async def zone_of_pair(session: AsyncSession, mentorship_id: int) -> str:
    """The time zone of the pair's organisation, in which its meetings are dated."""
    return await queries.zone_of_pair(session, mentorship_id)
