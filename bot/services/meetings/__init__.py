"""Meetings planned ahead (/meetings): either side of a pair or group proposes one — a day and time in the
organisation's zone, a duration, a place or link, a topic, the plan item it serves — or a weekly or
fortnightly series until the program's end (seed 000 §2.3, 004 §II.4.3: short-term mentoring «по заранее
установленному графику»). The others accept, decline or propose another time; an accepted meeting comes
with an .ics (calendar_file.py), a new time and a cancellation with updated ones. Reminders go a day and an
hour before; once it is over the mentor is asked whether it took place, and a yes becomes a journal entry
with everything but the summary filled in (the journal's dialog).

In a group, a meeting is on once one of the others accepts; each who accepts gets the .ics. Answers are
given once; a new time clears them and asks again. A series is answered, moved only by cancelling it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n, Translator
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.meetings import queries
from bot.services.meetings.calendar_file import filename_of, meeting_ics, uid_of
from bot.services.mentorships import clean_text, load_mentorship, local_today
from bot.services.notify import Action, Button, tell
from bot.services.people import current_mentees, current_mentor, pair_title, pair_titles
from db.models import (
    MeetingAnswer,
    MeetingFormat,
    Mentorship,
    MentorshipStatus,
    Organization,
    Participant,
    Person,
    PlannedMeeting,
    PlannedMeetingStatus,
)

MIN_MINUTES, MAX_MINUTES = 15, 480
SERIES_MAX = 60  # occurrences: a year of weekly meetings
TOPIC_MAX, PLACE_MAX = 300, 300
UPCOMING = 10
DAY = "%d.%m.%Y"
_TIME = re.compile(r"^\s*([01]?\d|2[0-3])\s*[:.\-]\s*([0-5]\d)\s*$")


@dataclass(frozen=True)
class MeetingDraft:
    day: date
    at: time
    duration_minutes: int
    format: MeetingFormat
    place: str | None
    topic: str
    plan_item_id: int | None = None
    every_weeks: int | None = None  # 1 or 2: a series until the program's end


@dataclass(frozen=True)
class PlanContext:
    """What the proposal dialog offers: the pair's plan items, and whether a series can run to an end."""
    mentorship_id: int
    today: date
    items: list[tuple[int, str]]
    program_end: date | None


@dataclass(frozen=True)
class MeetingCard:
    id: int
    mentorship_id: int
    pair: str
    starts: str  # «25.11.2026 10:00», local
    duration_minutes: int
    format: MeetingFormat
    place: str | None
    topic: str
    item: str | None
    status: PlannedMeetingStatus
    every_weeks: int | None
    in_series: bool  # an occurrence of a series (not its first)
    to_answer: bool  # the viewer has yet to answer it
    sequence: int  # its version, which an answer names
    answers: list[tuple[str, bool]] = field(default_factory=list)  # (name, accepted)


@dataclass(frozen=True)
class JournalPrefill:
    """A held meeting's journal entry, all but the summary."""
    meeting_id: int
    mentorship_id: int
    held_on: date
    duration_minutes: int
    format: MeetingFormat
    channel: str | None
    topic: str
    plan_item_id: int | None


def parse_time(raw: str) -> time:
    found = _TIME.match(raw or "")
    if found is None:
        raise InvalidInput("meetings.bad_time")
    return time(int(found.group(1)), int(found.group(2)))


def parse_minutes(raw: str) -> int:
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit() or not MIN_MINUTES <= int(text) <= MAX_MINUTES:
        raise InvalidInput("meetings.bad_duration", low=MIN_MINUTES, high=MAX_MINUTES)
    return int(text)


def local_moment(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def _me(m: Mentorship, actor: Actor) -> Participant:
    me = next((p for p in [current_mentor(m), *current_mentees(m)] if p and p.person_id == actor.person_id), None)
    if me is None:
        raise AccessDenied("meetings.participants_only")
    return me


async def _pair(session: AsyncSession, actor: Actor, mentorship_id: int) -> tuple[Mentorship, Participant]:
    m = await load_mentorship(session, mentorship_id, with_program=False)
    me = _me(m, actor)
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("meetings.not_active")
    return m, me


async def plannable(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """(id, title) of the active pairs and groups the actor is in, as mentor or mentee."""
    if actor.person_id is None:
        raise AccessDenied("error.not_registered")
    ids = await queries.active_pairs_of(session, actor.person_id)
    titles = await pair_titles(session, ids)
    return [(mentorship_id, titles[mentorship_id]) for mentorship_id in ids]


async def context(session: AsyncSession, actor: Actor, mentorship_id: int, now: datetime) -> PlanContext:
    m, _ = await _pair(session, actor, mentorship_id)
    org = await _org(session, m)
    return PlanContext(m.id, local_today(now, org.timezone),
                       [(item_id, activity) for item_id, activity in await queries.open_items(session, m.id)],
                       await queries.program_end(session, m.id))


async def check_start(session: AsyncSession, actor: Actor, mentorship_id: int, day: date, at: time,
                      now: datetime) -> None:
    """A start still to come (asked at the time step, before the rest of the proposal is typed)."""
    m, _ = await _pair(session, actor, mentorship_id)
    org = await _org(session, m)
    if local_moment(day, at, org.timezone) <= now:
        raise InvalidInput("meetings.in_past")


def _clean(draft: MeetingDraft) -> tuple[str, str | None]:
    if not MIN_MINUTES <= draft.duration_minutes <= MAX_MINUTES:
        raise InvalidInput("meetings.bad_duration", low=MIN_MINUTES, high=MAX_MINUTES)
    topic = clean_text(draft.topic, TOPIC_MAX)
    place = clean_text(draft.place, PLACE_MAX) if draft.place else None
    return topic, place


async def propose(session: AsyncSession, actor: Actor, mentorship_id: int, draft: MeetingDraft, now: datetime,
                  i18n: I18n) -> int:
    """The meeting (or series) proposed to the others, who are asked to answer. Returns its id."""
    m, me = await _pair(session, actor, mentorship_id)
    org = await _org(session, m)
    topic, place = _clean(draft)
    starts = local_moment(draft.day, draft.at, org.timezone)
    if starts <= now:
        raise InvalidInput("meetings.in_past")
    if draft.plan_item_id is not None and draft.plan_item_id not in {
            item_id for item_id, _ in await queries.open_items(session, m.id)}:
        raise InvalidInput("error.stale_button")
    days = [draft.day]
    if draft.every_weeks is not None:
        end = await queries.program_end(session, m.id)
        if draft.every_weeks not in (1, 2) or end is None:
            raise InvalidInput("meetings.series_needs_program")
        while len(days) < SERIES_MAX and days[-1] + timedelta(weeks=draft.every_weeks) <= end:
            days.append(days[-1] + timedelta(weeks=draft.every_weeks))
        if len(days) < 2:
            raise InvalidInput("meetings.series_too_short", end=end.strftime(DAY))
    rows = [PlannedMeeting(mentorship_id=m.id, every_weeks=draft.every_weeks, proposed_by_id=me.person_id,
                           starts_at=local_moment(day, draft.at, org.timezone), duration_minutes=draft.duration_minutes,
                           format=draft.format, place=place, topic=topic, plan_item_id=draft.plan_item_id,
                           status=PlannedMeetingStatus.PROPOSED, sequence=0, created_at=now, updated_at=now)
            for day in days]
    session.add(rows[0])
    await session.flush()
    for row in rows[1:]:
        row.series_id = rows[0].id
    session.add_all(rows[1:])
    await _ask_others(session, m, me, rows[0], len(rows), org.timezone, now, i18n, "meetings.proposed")
    await session.commit()
    return rows[0].id


async def _ask_others(session: AsyncSession, m: Mentorship, me: Participant, head: PlannedMeeting, count: int,
                      zone: str, now: datetime, i18n: I18n, key: str, **extra: str) -> None:
    for p in _others(m, me):
        t = i18n.get(p.person.locale)
        version = {"meeting": head.id, "version": head.sequence}  # a button of an older time answers nothing
        buttons = [[Button(t.plain("btn.meeting_accept"), Action.ANSWER_MEETING, {**version, "accept": True}),
                    Button(t.plain("btn.meeting_decline"), Action.ANSWER_MEETING, {**version, "accept": False})]]
        if not head.every_weeks:
            buttons.append([Button(t.plain("btn.meeting_retime"), Action.RETIME_MEETING, {"meeting": head.id})])
        await tell(session, p.person, key, now, i18n, buttons=buttons, name=me.person.full_name or "—",
                   pair=pair_title(m), **_describe(head, count, zone, t), **extra)


def _others(m: Mentorship, me: Participant) -> list[Participant]:
    return [p for p in [current_mentor(m), *current_mentees(m)] if p is not None and p.person_id != me.person_id]


def _describe(head: PlannedMeeting, count: int, zone: str, t: Translator) -> dict[str, str]:
    """The meeting as the notices word it."""
    when = head.starts_at.astimezone(ZoneInfo(zone))
    repeat = t.plain(f"meetings.every_{head.every_weeks}", count=count) if head.every_weeks else ""
    return {"when": when.strftime("%d.%m.%Y %H:%M"), "minutes": str(head.duration_minutes),
            "format": t.plain(f"meeting_format.{head.format.value}"),
            "place": head.place or "—", "topic": head.topic, "repeat": repeat}


async def _org(session: AsyncSession, m: Mentorship) -> Organization:
    """The pair's organisation (from the session's identity map once read)."""
    org = await session.get(Organization, m.organization_id)
    assert org is not None
    return org


async def _series_head(session: AsyncSession, row: PlannedMeeting) -> PlannedMeeting:
    """The first occurrence of the row's series (the row itself for a single meeting)."""
    return await _head(session, row.series_id) if row.series_id else row


async def _head(session: AsyncSession, meeting_id: int) -> PlannedMeeting:
    meeting = await session.get(PlannedMeeting, meeting_id)
    if meeting is None:
        raise NotFound()
    return meeting


async def _ics_to(session: AsyncSession, person: Person, head: PlannedMeeting, occurrences: list[PlannedMeeting],
                  org: Organization, now: datetime, i18n: I18n, key: str, *, cancelled: bool = False,
                  occurrence: datetime | None = None) -> None:
    """The meeting's .ics, once per person and version (SEQUENCE)."""
    t = i18n.get(person.locale)
    content = meeting_ics(head, org.timezone, org.name, t.plain("meetings.ics_title", topic=head.topic), now,
                          cancelled=cancelled, series_end=occurrences[-1].starts_at if head.every_weeks else None,
                          occurrence=occurrence)
    await tell(session, person, key, now, i18n, attachment=(content, filename_of(head)),
               dedup_key=f"ics:{uid_of(head)}:{head.sequence}:{'x' if cancelled else 'ok'}:"
                         f"{occurrence.isoformat() if occurrence else ''}:{person.id}",
               **_describe(head, len(occurrences), org.timezone, t))


async def answer(session: AsyncSession, actor: Actor, meeting_id: int, accept: bool, now: datetime,
                 i18n: I18n, version: int | None = None) -> PlannedMeetingStatus:
    """The actor's answer to a proposal (a series is answered on its first occurrence). `version`: the
    meeting's sequence the answer was given to; a proposal moved since is not answered by it."""
    head = await _head(session, meeting_id)
    m, me = await _pair(session, actor, head.mentorship_id)
    if head.series_id is not None or head.status not in queries.OPEN or head.starts_at <= now:
        raise InvalidInput("meetings.not_open")
    if version is not None and version != head.sequence:
        raise InvalidInput("meetings.moved_since")
    if head.proposed_by_id == me.person_id:
        raise InvalidInput("meetings.own_proposal")
    given = await queries.answers(session, head.id)
    if any(a.person_id == me.person_id for a in given):
        raise InvalidInput("meetings.answered")
    session.add(MeetingAnswer(meeting_id=head.id, person_id=me.person_id, accepted=accept, answered_at=now))
    org = await _org(session, m)
    occurrences = list(await queries.series(session, head.id))
    proposer = next((p for p in m.participants if p.person_id == head.proposed_by_id), None)
    t = i18n.get(proposer.person.locale if proposer else None)
    if accept:
        first = head.status == PlannedMeetingStatus.PROPOSED
        for row in occurrences:
            row.status = PlannedMeetingStatus.ACCEPTED
            row.updated_at = now
        await _ics_to(session, me.person, head, occurrences, org, now, i18n, "meetings.agreed")
        if proposer is not None and first:
            await _ics_to(session, proposer.person, head, occurrences, org, now, i18n, "meetings.agreed")
    elif not any(a.accepted for a in given) and len(given) + 1 >= len(_others(m, proposer or me)):
        for row in occurrences:
            row.status = PlannedMeetingStatus.DECLINED
            row.updated_at = now
    if proposer is not None:
        await tell(session, proposer.person, "meetings.accepted_by" if accept else "meetings.declined_by", now, i18n,
                   name=me.person.full_name or "—", **_describe(head, len(occurrences), org.timezone, t))
    await session.commit()
    return head.status


async def retime(session: AsyncSession, actor: Actor, meeting_id: int, day: date, at: time, now: datetime,
                 i18n: I18n) -> None:
    """Another time for a single meeting, by any of its participants: the answers given are cleared and the
    others asked again; the calendar file that follows carries a higher SEQUENCE."""
    head = await _head(session, meeting_id)
    m, me = await _pair(session, actor, head.mentorship_id)
    if head.status not in queries.OPEN or head.series_id is not None or head.every_weeks:
        raise InvalidInput("meetings.series_fixed" if head.every_weeks or head.series_id else "meetings.not_open")
    org = await _org(session, m)
    starts = local_moment(day, at, org.timezone)
    if starts <= now:
        raise InvalidInput("meetings.in_past")
    if starts == head.starts_at:
        raise InvalidInput("meetings.same_time")
    before = _describe(head, 1, org.timezone, i18n.get(None))["when"]
    await queries.drop_answers(session, head.id)
    head.starts_at, head.proposed_by_id, head.status = starts, me.person_id, PlannedMeetingStatus.PROPOSED
    head.sequence += 1
    head.reminded_day_at = head.reminded_hour_at = None
    head.updated_at = now
    await _ask_others(session, m, me, head, 1, org.timezone, now, i18n, "meetings.retimed", before=before)
    await session.commit()


async def cancel(session: AsyncSession, actor: Actor, meeting_id: int, now: datetime, i18n: I18n) -> int:
    """A meeting cancelled by any participant — a series' first cancels the series, a later occurrence
    only itself; whoever had its .ics gets the cancelled one. Returns the occurrences cancelled."""
    target = await _head(session, meeting_id)
    m, me = await _pair(session, actor, target.mentorship_id)
    if target.status not in queries.OPEN:
        raise InvalidInput("meetings.not_open")
    head = await _series_head(session, target)
    occurrences = list(await queries.series(session, head.id))
    gone = [row for row in occurrences if row.status in queries.OPEN and (target is head or row is target)]
    was_agreed = target.status == PlannedMeetingStatus.ACCEPTED
    for row in gone:
        row.status = PlannedMeetingStatus.CANCELLED
        row.updated_at = now
    head.sequence += 1
    org = await _org(session, m)
    for p in [current_mentor(m), *current_mentees(m)]:
        if p is None:
            continue
        if was_agreed:
            await _ics_to(session, p.person, head, occurrences, org, now, i18n, "meetings.cancelled_ics",
                          cancelled=True, occurrence=None if target is head else target.starts_at)
        if p.person_id != me.person_id:
            t = i18n.get(p.person.locale)
            described = _describe(target, len(gone), org.timezone, t)
            await tell(session, p.person, "meetings.cancelled", now, i18n, name=me.person.full_name or "—",
                       **described)
    await session.commit()
    return len(gone)


async def upcoming(session: AsyncSession, actor: Actor, now: datetime) -> list[MeetingCard]:
    """The actor's open meetings, soonest first: what /meetings lists."""
    if actor.person_id is None:
        raise AccessDenied("error.not_registered")
    rows = await queries.upcoming_for(session, actor.person_id, now - timedelta(hours=1), UPCOMING)
    cards = []
    for row in rows:
        head = await _series_head(session, row)
        m = await load_mentorship(session, row.mentorship_id, with_program=False)
        org = await _org(session, m)
        given = await queries.answers(session, head.id)
        names = {p.person_id: p.person.full_name or "—" for p in m.participants}
        cards.append(MeetingCard(
            row.id, m.id, pair_title(m), row.starts_at.astimezone(ZoneInfo(org.timezone)).strftime("%d.%m.%Y %H:%M"),
            row.duration_minutes, row.format, row.place, row.topic,
            await queries.item_activity(session, row.plan_item_id),
            row.status, head.every_weeks, row.series_id is not None,
            to_answer=row.series_id is None and row.proposed_by_id != actor.person_id
            and all(a.person_id != actor.person_id for a in given), sequence=head.sequence,
            answers=[(names.get(a.person_id, "—"), a.accepted) for a in given]))
    return cards


async def send_reminders(session: AsyncSession, now: datetime, i18n: I18n) -> int:
    """A day before an agreed meeting and an hour before, to those who will be there (its proposer and
    whoever accepted). Within the last hour only the hour's reminder goes, and a meeting agreed less than a
    day ahead has no «tomorrow» one (the agreement was it). Returns the notices queued."""
    sent = 0
    for row in await queries.to_remind(session, now):
        head = await _series_head(session, row)
        m = await load_mentorship(session, row.mentorship_id, with_program=False)
        org = await _org(session, m)
        hour = row.starts_at - now <= timedelta(hours=1)
        if not hour and row.reminded_day_at is not None:
            continue
        if not hour and row.updated_at > row.starts_at - timedelta(days=1):
            row.reminded_day_at = now  # agreed within the last day: no «tomorrow»
            continue
        attending = {head.proposed_by_id} | {a.person_id for a in await queries.answers(session, head.id) if a.accepted}
        for p in [current_mentor(m), *current_mentees(m)]:
            if p is None or p.person_id not in attending:
                continue
            t = i18n.get(p.person.locale)
            await tell(session, p.person, "meetings.remind_hour" if hour else "meetings.remind_day", now, i18n,
                       dedup_key=f"meet-{'hour' if hour else 'day'}:{row.id}:{row.sequence}:{p.person_id}",
                       pair=pair_title(m), **_describe(row, 1, org.timezone, t))
            sent += 1
        row.reminded_day_at = row.reminded_day_at or now
        if hour:
            row.reminded_hour_at = now
    await session.commit()
    return sent


async def ask_if_held(session: AsyncSession, now: datetime, i18n: I18n) -> int:
    """Once an agreed meeting is over, its mentor is asked whether it took place."""
    asked = 0
    for row in await queries.ended_unasked(session, now):
        if row.starts_at + timedelta(minutes=row.duration_minutes) > now:
            continue
        row.asked_held_at = now
        m = await load_mentorship(session, row.mentorship_id, with_program=False)
        mentor = current_mentor(m)
        if mentor is None or m.status != MentorshipStatus.ACTIVE:
            continue
        org = await _org(session, m)
        t = i18n.get(mentor.person.locale)
        await tell(session, mentor.person, "meetings.was_it_held", now, i18n, dedup_key=f"meet-held:{row.id}",
                   buttons=[[Button(t.plain("btn.meeting_held"), Action.MEETING_HELD,
                                    {"meeting": row.id, "held": True}),
                             Button(t.plain("btn.meeting_not_held"), Action.MEETING_HELD,
                                    {"meeting": row.id, "held": False})]],
                   pair=pair_title(m), **_describe(row, 1, org.timezone, t))
        asked += 1
    await session.commit()
    return asked


async def held(session: AsyncSession, actor: Actor, meeting_id: int, took_place: bool,
               now: datetime) -> JournalPrefill | None:
    """The mentor's answer after the meeting: not held (recorded as such), or the journal entry to finish."""
    row = await _head(session, meeting_id)
    m = await load_mentorship(session, row.mentorship_id, with_program=False)
    mentor = current_mentor(m)
    if mentor is None or mentor.person_id != actor.person_id:
        raise AccessDenied("journal.only_mentors")
    if row.status != PlannedMeetingStatus.ACCEPTED or row.starts_at > now:
        raise InvalidInput("meetings.not_open")
    if not took_place:
        row.status = PlannedMeetingStatus.MISSED
        row.updated_at = now
        await session.commit()
        return None
    org = await _org(session, m)
    return JournalPrefill(row.id, m.id, local_today(row.starts_at, org.timezone), row.duration_minutes, row.format,
                          row.place if row.format == MeetingFormat.ONLINE else None, row.topic, row.plan_item_id)


async def mark_held(session: AsyncSession, meeting_id: int, mentorship_id: int, log_id: int, now: datetime) -> None:
    """The journal recorded it (in the journal's transaction)."""
    row = await session.get(PlannedMeeting, meeting_id)
    if row is not None and row.mentorship_id == mentorship_id and row.status == PlannedMeetingStatus.ACCEPTED:
        row.status, row.meeting_log_id, row.updated_at = PlannedMeetingStatus.HELD, log_id, now


async def week_counts(session: AsyncSession, org: Organization, now: datetime) -> tuple[int, int]:
    """(meetings planned this week, Monday to Sunday in the organisation's zone; agreed meetings that are
    over and neither recorded nor marked as not held) for the summary and the digest."""
    today = local_today(now, org.timezone)
    monday = today - timedelta(days=today.weekday())
    first = local_moment(monday, time(0), org.timezone)
    return await queries.counts(session, org.id, first, first + timedelta(days=7), now)


__all__ = ["answer", "ask_if_held", "cancel", "check_start", "context", "held", "JournalPrefill", "local_moment",
           "mark_held", "MeetingCard", "MeetingDraft", "parse_minutes", "parse_time", "PlanContext", "plannable",
           "propose", "retime", "send_reminders", "upcoming", "week_counts"]
