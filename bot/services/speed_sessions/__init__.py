"""Speed mentoring («скоростное наставничество»): a one-time meeting of those who learn with a host.

A mentor, a curator or a guest host (an invited outside expert: seed 004 §II.4.5's «скоростное
консультационное» meetings with specialists) announces it to an audience — mentees (all, a category, a
difficulty), mentors, or both; a guest host sees nothing of the organisation but their own sessions. A
coordinator's event is for the organisations below theirs: the people of every school there are invited
and sign up alike (issue 25). Those addressed sign up and cancel with buttons, never over
capacity, with a waitlist that moves up; the signed-up are reminded a day and an hour before; the
host marks attendance and the attendees are asked for a 1–5 feedback. Changes and cancellations are
told to everyone signed up.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.coordinators import coordinated_orgs
from bot.services.dates import local_time
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.mentorships import clean_text
from bot.services.notify import Action, Button, Buttons, enqueue, tell
from bot.services.numbers import is_whole
from bot.services.organizations import ancestors, below
from bot.services.speed_sessions import queries
from db.models import (
    MenteeCategory,
    Organization,
    Person,
    Role,
    SignupStatus,
    SpeedSession,
    SpeedSessionStatus,
    SpeedSignup,
)

HOSTS = (Role.MENTOR, Role.CURATOR, Role.GUEST, Role.COORDINATOR)
MENTOR_AUDIENCES = ("mentors", "everyone")  # the audiences mentors are in (the others: mentees)
CAPACITY_MAX = 100
DURATION_MAX = 480


@dataclass
class SessionView:
    id: int
    organization_id: int
    timezone: str
    topic: str
    host: str
    host_id: int
    starts_at: datetime
    duration_minutes: int
    place: str
    capacity: int
    status: SpeedSessionStatus
    registered: list[tuple[int, str, bool | None]]  # person id, name, attended
    waitlist: int
    my_status: SignupStatus | None
    can_manage: bool


def _invite_buttons(i18n: I18n, locale: str | None, session_id: int) -> Buttons:
    return [[Button(i18n.get(locale).plain("btn.speed_join"), Action.JOIN_SPEED, {"session": session_id})]]


def _when(s: SpeedSession, tz: str) -> str:
    return local_time(s.starts_at, tz)


async def audience_topics(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """The difficulties an announcement may be addressed by (the host's organisation's catalogue; none for a
    coordinator, whose body's catalogue is not the schools')."""
    org_id = actor.first_org_where(*HOSTS, denied="speed.only_hosts")
    if actor.has_role(org_id, Role.COORDINATOR):
        return []
    return await queries.catalogue(session, org_id)


async def _addressed_orgs(session: AsyncSession, actor: Actor, org_id: int) -> list[int]:
    """Where an announcement's audience is: the host's organisation, or for a coordinator those below."""
    if actor.has_role(org_id, Role.COORDINATOR):
        return [o.id for o in await coordinated_orgs(session, actor)]
    return [org_id]


async def check_audience(session: AsyncSession, org_id: int, audience: str) -> None:
    """all (mentees), mentors, everyone (both), category.<a mentee category> or topic.<a difficulty of the
    organisation>; anything else is a forged button."""
    kind, _, value = audience.partition(".")
    if kind in ("all", *MENTOR_AUDIENCES) and not value:
        return
    if kind == "category" and value in {c.value for c in MenteeCategory}:
        return
    if kind == "topic" and is_whole(value) and await queries.is_topic_of(session, int(value), org_id):
        return
    raise AccessDenied()


async def announce(session: AsyncSession, actor: Actor, *, topic: str, starts_at: datetime, duration: int,
                   place: str, capacity: int, audience: str, now: datetime, i18n: I18n) -> int:
    org_id = actor.first_org_where(*HOSTS, denied="speed.only_hosts")
    await check_audience(session, org_id, audience)
    if starts_at <= now:
        raise InvalidInput("speed.past")
    if not 5 <= duration <= DURATION_MAX:
        raise InvalidInput("journal.bad_duration", max=DURATION_MAX)
    if not 1 <= capacity <= CAPACITY_MAX:
        raise InvalidInput("speed.bad_capacity", max=CAPACITY_MAX)
    org = await session.get(Organization, org_id)
    assert org is not None
    s = SpeedSession(organization_id=org_id, host_id=actor.person_id, topic=clean_text(topic),
                     starts_at=starts_at, duration_minutes=duration, place=clean_text(place, 500),
                     capacity=capacity, audience=audience, status=SpeedSessionStatus.SCHEDULED, created_at=now)
    session.add(s)
    await session.flush()
    host = await session.get(Person, actor.person_id)
    for person in await queries.addressed_people(session, await _addressed_orgs(session, actor, org_id), audience):
        await tell(session, person, "speed.invitation", now, i18n, buttons=_invite_buttons(i18n, person.locale, s.id),
                    dedup_key=f"speed:{s.id}:invite:{person.id}", topic=s.topic,
                    host=host.full_name if host else "—", when=_when(s, org.timezone), minutes=duration,
                    place=s.place, capacity=capacity)
    await session.commit()
    return s.id


async def _get(session: AsyncSession, actor: Actor, session_id: int) -> SpeedSession:
    s = await session.get(SpeedSession, session_id)
    if s is None:
        raise NotFound()
    if s.organization_id not in await _reachable_orgs(session, actor):
        raise AccessDenied()
    if _guest_only(actor, s.organization_id) and s.host_id != actor.person_id:
        raise AccessDenied("speed.guest_own_only")
    return s


async def _reachable_orgs(session: AsyncSession, actor: Actor) -> set[int]:
    """The organisations whose sessions the actor sees: their own, and the bodies above them (a
    coordinator's events)."""
    own = [r.organization_id for r in actor.roles]
    return set(own) | set(await ancestors(session, own))


def _learner_in(actor: Actor, role: Role, orgs: set[int]) -> bool:
    """The actor is a mentee (or mentor) in one of these organisations."""
    return any(org_id in orgs for org_id, _ in actor.orgs_where(role))


async def _audience_orgs(session: AsyncSession, s: SpeedSession) -> set[int]:
    """The session's organisation and, for a body's event, the organisations whose people it is for."""
    return {s.organization_id, *await below(session, s.organization_id)}


def _guest_only(actor: Actor, org_id: int) -> bool:
    """The actor is in the organisation only as a guest host: their own sessions are all they see."""
    return actor.has_role(org_id, Role.GUEST) and not actor.has_role(org_id, *(r for r in Role if r != Role.GUEST))


def _manages(actor: Actor, s: SpeedSession) -> bool:
    return actor.person_id == s.host_id or actor.has_role(s.organization_id, Role.CURATOR)


async def _managed(session: AsyncSession, actor: Actor, session_id: int) -> SpeedSession:
    """A scheduled session the actor hosts (or, as a curator, oversees)."""
    s = await _get(session, actor, session_id)
    if not _manages(actor, s):
        raise AccessDenied("speed.only_host")
    if s.status != SpeedSessionStatus.SCHEDULED:
        raise InvalidInput("speed.closed")
    return s


async def view(session: AsyncSession, actor: Actor, session_id: int) -> SessionView:
    s = await _get(session, actor, session_id)
    org = await session.get(Organization, s.organization_id)
    host = await session.get(Person, s.host_id)
    rows = await queries.signups_with_names(session, s.id)
    mine = next((row.status for row, _ in rows if row.person_id == actor.person_id), None)
    registered = [(row.person_id, name or "—", row.attended) for row, name in rows
                  if row.status == SignupStatus.REGISTERED]
    return SessionView(s.id, s.organization_id, org.timezone if org else "UTC", s.topic,
                       host.full_name if host else "—", s.host_id, s.starts_at, s.duration_minutes, s.place,
                       s.capacity, s.status, registered,
                       sum(row.status == SignupStatus.WAITLIST for row, _ in rows), mine, _manages(actor, s))


async def upcoming(session: AsyncSession, actor: Actor, now: datetime) -> list[tuple[int, str, datetime, str]]:
    orgs = sorted(await _reachable_orgs(session, actor))
    return [(s.id, s.topic, s.starts_at, tz) for s, tz in await queries.upcoming_in(session, orgs, now)
            if not _guest_only(actor, s.organization_id) or s.host_id == actor.person_id]


async def join(session: AsyncSession, actor: Actor, session_id: int, now: datetime) -> SignupStatus:
    s = await _get(session, actor, session_id)
    audience = await _audience_orgs(session, s)
    if not (_learner_in(actor, Role.MENTEE, audience) and s.audience not in ("mentors",)) and not (
            _learner_in(actor, Role.MENTOR, audience) and s.audience in MENTOR_AUDIENCES):
        raise AccessDenied("speed.only_mentees")
    if s.status != SpeedSessionStatus.SCHEDULED or s.starts_at <= now:
        raise InvalidInput("speed.closed")
    row = await queries.signup_of(session, s.id, actor.person_id)
    if row is not None and row.status != SignupStatus.CANCELLED:
        raise InvalidInput("speed.already")
    taken = await queries.registered_count(session, s.id)
    status = SignupStatus.REGISTERED if taken < s.capacity else SignupStatus.WAITLIST
    if row is None:
        session.add(SpeedSignup(session_id=s.id, person_id=actor.person_id, status=status, signed_at=now))
    else:
        row.status, row.signed_at = status, now
    await session.commit()
    return status


async def leave(session: AsyncSession, actor: Actor, session_id: int, now: datetime, i18n: I18n) -> None:
    s = await _get(session, actor, session_id)
    row = await queries.signup_of(session, s.id, actor.person_id)
    if row is None or row.status == SignupStatus.CANCELLED:
        raise InvalidInput("speed.not_signed")
    was_registered = row.status == SignupStatus.REGISTERED
    row.status = SignupStatus.CANCELLED
    if was_registered and s.status == SpeedSessionStatus.SCHEDULED:
        first = await queries.first_waiting(session, s.id)
        if first is not None:  # the waitlist moves up
            first.status = SignupStatus.REGISTERED
            org = await session.get(Organization, s.organization_id)
            person = await session.get(Person, first.person_id)
            if person is not None:
                await tell(session, person, "speed.promoted", now, i18n, topic=s.topic,
                            when=_when(s, org.timezone if org else "UTC"))
    await session.commit()


async def cancel(session: AsyncSession, actor: Actor, session_id: int, now: datetime, i18n: I18n) -> None:
    s = await _managed(session, actor, session_id)
    s.status = SpeedSessionStatus.CANCELLED
    org = await session.get(Organization, s.organization_id)
    for person in await queries.signed_people(session, s.id):
        await tell(session, person, "speed.cancelled", now, i18n, topic=s.topic,
                    when=_when(s, org.timezone if org else "UTC"))
    await session.commit()


async def reschedule(session: AsyncSession, actor: Actor, session_id: int, starts_at: datetime, now: datetime,
                     i18n: I18n) -> None:
    s = await _managed(session, actor, session_id)
    if starts_at <= now:
        raise InvalidInput("speed.past")
    s.starts_at = starts_at
    org = await session.get(Organization, s.organization_id)
    for person in await queries.signed_people(session, s.id):
        await tell(session, person, "speed.moved", now, i18n, topic=s.topic,
                    when=_when(s, org.timezone if org else "UTC"))
    await session.commit()


def check_started(starts_at: datetime, timezone: str, now: datetime) -> None:
    """Attendance (and so feedback) exists only from the session's start."""
    if now < starts_at:
        raise InvalidInput("speed.not_started", when=local_time(starts_at, timezone))


async def _check_started(session: AsyncSession, s: SpeedSession, now: datetime) -> None:
    org = await session.get(Organization, s.organization_id)
    check_started(s.starts_at, org.timezone if org else "UTC", now)


async def toggle_attendance(session: AsyncSession, actor: Actor, session_id: int, person_id: int,
                            now: datetime) -> None:
    s = await _get(session, actor, session_id)
    if not _manages(actor, s):
        raise AccessDenied("speed.only_host")
    await _check_started(session, s, now)
    row = await queries.signup_of(session, s.id, person_id, registered=True)
    if row is None or s.status == SpeedSessionStatus.CANCELLED:
        raise NotFound()
    row.attended = not row.attended
    await session.commit()


async def finish_attendance(session: AsyncSession, actor: Actor, session_id: int, now: datetime,
                            i18n: I18n) -> int:
    """Attendance is final; the attendees are asked for a 1–5 feedback. Returns how many attended."""
    s = await _managed(session, actor, session_id)
    await _check_started(session, s, now)
    s.status = SpeedSessionStatus.DONE
    rows = await queries.registered_signups(session, s.id)
    attended = 0
    for row in rows:
        row.attended = bool(row.attended)
        if row.attended:
            attended += 1
            person = await session.get(Person, row.person_id)
            if person is not None and person.telegram_id is not None:
                t = i18n.get(person.locale)
                ratings = [[Button(str(n), Action.RATE_SPEED, {"session": s.id, "rating": n}) for n in range(1, 6)]]
                await enqueue(session, chat_id=person.telegram_id, person_id=person.id, kind="speed",
                              text=t("speed.feedback", topic=s.topic), buttons=ratings, now=now,
                              dedup_key=f"speed:{s.id}:feedback:{person.id}")
    await session.commit()
    return attended


async def feedback(session: AsyncSession, actor: Actor, session_id: int, rating: int) -> None:
    row = await queries.signup_of(session, session_id, actor.person_id)
    if row is None or not row.attended:
        raise AccessDenied()
    if row.feedback is not None:
        raise InvalidInput("error.stale_button")
    if not 1 <= rating <= 5:
        raise InvalidInput()
    row.feedback = rating
    await session.commit()


async def send_reminders(session: AsyncSession, now: datetime, i18n: I18n) -> int:
    """A day and an hour before the start (by the organisation's clock), once each per start time."""
    sent = 0
    rows = await queries.starting_within_a_day(session, now)
    for s, tz in rows:
        stamp = int(s.starts_at.timestamp())
        for key, lead in (("day", timedelta(days=1)), ("hour", timedelta(hours=1))):
            if now < s.starts_at - lead:
                continue
            if key == "day" and s.created_at > s.starts_at - lead:
                continue  # announced less than a day ahead: the invitation was the reminder
            if key == "day" and now >= s.starts_at - timedelta(hours=1):
                continue  # too late for "tomorrow"; the hour reminder goes instead
            for person in await queries.signed_people(session, s.id, registered_only=True):
                await tell(session, person, f"speed.remind_{key}", now, i18n, topic=s.topic, when=_when(s, tz),
                            place=s.place, dedup_key=f"speed:{s.id}:{stamp}:{key}:{person.id}")
                sent += 1
    await session.commit()
    return sent
