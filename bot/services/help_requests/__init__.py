"""Situational mentoring: a mentee asks for help in chat and gets an immediate response.

A request goes to the mentee's own mentor or, with no pair yet, to the organisation's mentors whose
competencies match its topic and who have free places; the first to take it wins (an atomic update)
and the other offers are withdrawn. The conversation is relayed through the bot (via the outbox);
its contents are not stored. An unaccepted request goes to the curators after the organisation's
number of working hours (Monday to Friday, 9:00–18:00 local time); a taken but unanswered one
reminds the mentor. The mentee closes it with a 1–5 rating.
"""
from __future__ import annotations

import html
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.help_requests import queries
from bot.services.help_requests.queries import IN_PROGRESS, MAX_OFFERS, OWN_MENTOR, REQUEST_CONTEXT
from bot.services.notify import Action, Button, enqueue
from bot.services.organizations import neighbourhood
from bot.services.people import CURATORS, curators_of, mentor_loads
from db.models import HelpRequest, HelpRequestStatus, NotificationStatus, Organization, Person, Role, Topic
from db.repositories import plain_rows

TEXT_MAX = 3500


CAPTION_MAX = 900


WORKDAY = (time(9), time(18))


def add_working_hours(start: datetime, hours: float, zone: str) -> datetime:
    """`hours` of working time (Mon–Fri, 9:00–18:00 in `zone`) after `start`, as a UTC instant."""
    tz = ZoneInfo(zone)
    moment = start.astimezone(tz)
    left = timedelta(hours=hours)
    while left > timedelta(0):
        day_start = datetime.combine(moment.date(), WORKDAY[0], tz)
        day_end = datetime.combine(moment.date(), WORKDAY[1], tz)
        if moment.weekday() >= 5 or moment >= day_end:
            moment = datetime.combine(moment.date() + timedelta(days=1), WORKDAY[0], tz)
            continue
        moment = max(moment, day_start)
        step = min(left, day_end - moment)
        moment += step
        left -= step
    return moment.astimezone(timezone.utc)


def _offer_key(request_id: int, person_id: int) -> str:
    return f"help:{request_id}:offer:{person_id}"


@dataclass
class Created:
    request_id: int
    own_mentor: bool
    offered: int


async def _mentee_org(session: AsyncSession, actor: Actor) -> int:
    orgs = actor.orgs_where(Role.MENTEE)
    if not orgs:
        raise AccessDenied("sit.only_mentees")
    return orgs[0][0]


async def topics(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    org_id = await _mentee_org(session, actor)
    return await queries.catalogue(session, org_id)


async def _pool(session: AsyncSession, org_id: int, topic_id: int | None, exclude: int) -> list[Person]:
    """Mentors with the topic among their competencies and a free place, reachable."""
    candidates = await queries.pool_candidates(session, org_id, topic_id, exclude)
    loads = await mentor_loads(session, [person.id for person, _ in candidates])
    return [person for person, capacity in candidates if loads.get(person.id, 0) < (capacity or 0)][:MAX_OFFERS]


async def _beyond(session: AsyncSession, request: HelpRequest, topic: str | None) -> list[tuple[Person, int]]:
    """(mentor, their organisation) of the pool above the school: mentors of the organisations around it who
    help beyond their school, match the topic by its title and have a free place; nearest first."""
    around = await neighbourhood(session, request.organization_id)
    if not around:
        return []
    rank = {org_id: n for n, org_id in enumerate(around)}
    candidates = await queries.beyond_candidates(session, around, topic, request.mentee_id)
    loads = await mentor_loads(session, [person.id for person, _, _ in candidates])
    free = [(person, org_id) for person, capacity, org_id in candidates if loads.get(person.id, 0) < (capacity or 0)]
    return sorted(free, key=lambda pair: rank[pair[1]])[:MAX_OFFERS]


async def offer_beyond(session: AsyncSession, request: HelpRequest, now: datetime, i18n: I18n) -> int:
    """The request offered to the pool above the school (once each: the offers' keys). Returns how many."""
    topic = await session.get(Topic, request.topic_id) if request.topic_id else None
    mentee = await session.get(Person, request.mentee_id)
    school = await session.get(Organization, request.organization_id)
    offered = 0
    for mentor, _ in await _beyond(session, request, topic.title if topic else None):
        t = i18n.get(mentor.locale)
        added = await enqueue(
            session, chat_id=mentor.telegram_id, person_id=mentor.id, kind="help",  # type: ignore[arg-type]
            text=t("sit.offer_beyond", id=request.id, name=mentee.full_name if mentee else "—",
                   school=school.name if school else "—", topic=topic.title if topic else t.plain("sit.no_topic"),
                   text=_excerpt(request.text, 600), file=t.plain("sit.has_file") if request.attachment_chat_id else ""),
            buttons=[[Button(t.plain("btn.take"), Action.TAKE_HELP, {"request": request.id})]],
            dedup_key=_offer_key(request.id, mentor.id), now=now)
        offered += added is not None
    return offered


async def start_request(session: AsyncSession, actor: Actor, *, topic_id: int | None, text: str,
                        attachment: tuple[int, int] | None, now: datetime, i18n: I18n) -> Created:
    org_id = await _mentee_org(session, actor)
    text = (text or "").strip()
    if not text and attachment is None:
        raise InvalidInput("sit.empty")
    if len(text) > TEXT_MAX:
        raise InvalidInput("profile.too_long", max=TEXT_MAX, got=len(text))
    assert actor.person_id is not None
    found = await plain_rows(session, REQUEST_CONTEXT, {"org_id": org_id, "person_id": actor.person_id,
                                                       "topic_id": topic_id})
    if not found or (topic_id is not None and found[0].topic is None):
        raise NotFound()
    context = found[0]
    mine = await plain_rows(session, OWN_MENTOR, {"org_id": org_id, "person_id": actor.person_id})
    own = mine[0] if mine else None
    mentors: Sequence[Person | Row] = [own] if own is not None else await _pool(
        session, org_id, topic_id, actor.person_id)
    request = HelpRequest(organization_id=org_id, mentee_id=actor.person_id, topic_id=topic_id, text=text,
                          attachment_chat_id=attachment[0] if attachment else None,
                          attachment_message_id=attachment[1] if attachment else None,
                          own_mentor=own is not None, status=HelpRequestStatus.OPEN, created_at=now,
                          escalate_at=add_working_hours(now, context.help_escalation_hours, context.timezone))
    session.add(request)
    await session.flush()
    topic = context.topic
    for mentor in mentors:
        t = i18n.get(mentor.locale)
        await enqueue(session, chat_id=mentor.telegram_id, person_id=mentor.id, kind="help",  # type: ignore[arg-type]
                      text=t("sit.offer_own" if own else "sit.offer_pool", id=request.id,
                             name=context.full_name or "—", topic=topic or t.plain("sit.no_topic"),
                             text=_excerpt(text, 600), file=t.plain("sit.has_file") if attachment else ""),
                      buttons=[[Button(t.plain("btn.take"), Action.TAKE_HELP, {"request": request.id})]],
                      dedup_key=_offer_key(request.id, mentor.id), fresh=True, now=now)
    beyond = 0
    if not mentors:  # nobody in the school: the pool above it at once, else the curators
        beyond = await offer_beyond(session, request, now, i18n)
        if not beyond:
            await _escalate(session, request, now, i18n)
    await session.commit()
    return Created(request.id, own is not None, len(mentors) + beyond)


def _excerpt(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def _escalate(session: AsyncSession, request: HelpRequest, now: datetime, i18n: I18n) -> None:
    """Nobody took it in time: the curators are told, and the pool above the school is offered it (after
    the school's own mentors)."""
    request.escalated_at = now
    if not request.own_mentor:
        await offer_beyond(session, request, now, i18n)
    mentee = await session.get(Person, request.mentee_id)
    for curator in await curators_of(session, request.organization_id):
        t = i18n.get(curator.locale)
        await enqueue(session, chat_id=curator.telegram_id, person_id=curator.id, kind="help",  # type: ignore[arg-type]
                      text=t("sit.escalated", id=request.id, name=mentee.full_name if mentee else "—",
                             text=_excerpt(request.text, 600)),
                      dedup_key=f"help:{request.id}:escalated:{curator.id}", now=now)


@dataclass
class Taken:
    request: HelpRequest
    mentee_name: str
    withdrawn: list[tuple[int, int, str | None]]  # (chat id, message id, locale) of the others' offers to update
    mentor_name: str = "—"  # the taker's name as in the registry


async def take(session: AsyncSession, actor: Actor, request_id: int, now: datetime, i18n: I18n) -> Taken:
    request = await session.get(HelpRequest, request_id)
    if request is None:
        raise NotFound()
    offered = await queries.was_offered(session, _offer_key(request_id, actor.person_id or 0))
    if not offered or not actor.orgs_where(Role.MENTOR):  # offered: a mentor of the school, or of the pool above
        raise AccessDenied()
    if not await queries.claim(session, request_id, actor.person_id, now):
        await session.rollback()
        await session.refresh(request)
        raise InvalidInput("sit.already_yours" if request.mentor_id == actor.person_id else
                           "sit.already_taken" if request.status != HelpRequestStatus.CLOSED else "sit.closed")
    await session.refresh(request)
    others = await queries.other_offers(session, request_id, _offer_key(request_id, actor.person_id or 0))
    withdrawn = []
    for offer in others:
        if offer.status in (NotificationStatus.PENDING, NotificationStatus.SENDING):
            offer.status = NotificationStatus.CANCELLED
        elif offer.telegram_message_id is not None:
            withdrawn.append((offer.chat_id, offer.telegram_message_id, offer.person_id))
    mentee = await session.get(Person, request.mentee_id)
    mentor = await session.get(Person, actor.person_id)
    assert mentee is not None and mentor is not None
    if mentee.telegram_id is not None:
        t = i18n.get(mentee.locale)
        await enqueue(session, chat_id=mentee.telegram_id, person_id=mentee.id, kind="help",
                      text=t("sit.taken_for_mentee", id=request.id, name=mentor.full_name or "—"),
                      buttons=[[Button(t.plain("btn.help_close"), Action.CLOSE_HELP, {"request": request.id})]],
                      now=now)
    locales = await queries.locales_of(session, [person for _, _, person in withdrawn if person is not None])
    await session.commit()
    return Taken(request, mentee.full_name or "—",
                 [(chat, message, locales.get(person)) for chat, message, person in withdrawn],  # type: ignore[arg-type]
                 mentor.full_name or "—")


async def _party(session: AsyncSession, actor: Actor, request: HelpRequest) -> tuple[Role, Person | None]:
    """Whether the actor is the request's mentee or mentor, and who is on the other side."""
    if request.mentee_id == actor.person_id:
        other = await session.get(Person, request.mentor_id) if request.mentor_id else None
        return Role.MENTEE, other
    if request.mentor_id is not None and request.mentor_id == actor.person_id:
        return Role.MENTOR, await session.get(Person, request.mentee_id)
    raise AccessDenied()


@dataclass
class Route:
    """Where a participant's next message goes: never a guess.

    `target`: the request it goes to. Otherwise `closed` is the request they chose, now closed, and
    `choices` the conversations in progress to pick from (none, one or several)."""
    target: HelpRequest | None = None
    closed: int | None = None
    choices: list[tuple[int, str]] = field(default_factory=list)  # (request id, the other side's name)


async def conversations(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """The actor's requests in progress, as mentee or mentor, newest first, with the other side's name."""
    if actor.person_id is None:
        return []
    rows = await plain_rows(session, IN_PROGRESS, {"person_id": actor.person_id})
    return [(row.id, row.full_name or "—") for row in rows]


async def route(session: AsyncSession, actor: Actor, chosen: int | None) -> Route:
    """The request the actor chose (with a button, by taking it or by asking it) while it is theirs and
    not closed; with no choice, their only conversation in progress; else nothing, and what to pick from."""
    if actor.person_id is None:
        return Route()
    if chosen is not None:
        request = await session.get(HelpRequest, chosen)
        if request is not None and actor.person_id in (request.mentee_id, request.mentor_id):
            if request.status != HelpRequestStatus.CLOSED:
                return Route(target=request)
            return Route(closed=request.id, choices=await conversations(session, actor))
    choices = await conversations(session, actor)
    if len(choices) == 1:
        return Route(target=await session.get(HelpRequest, choices[0][0]))
    return Route(choices=choices)


async def relay(session: AsyncSession, actor: Actor, request: HelpRequest, *, text: str | None,
                copy_of: tuple[int, int] | None, now: datetime, i18n: I18n) -> str:
    """Pass the message to the other side of a request in progress; returns whom it reached (their name)."""
    role, other = await _party(session, actor, request)
    if request.status == HelpRequestStatus.CLOSED:
        raise InvalidInput("sit.closed")
    if request.status != HelpRequestStatus.TAKEN or other is None:
        raise InvalidInput("sit.not_taken_yet")
    text = (text or "").strip()
    if not text and copy_of is None:
        raise InvalidInput("sit.empty")
    limit = CAPTION_MAX if copy_of else TEXT_MAX
    if len(text) > limit:
        raise InvalidInput("profile.too_long", max=limit, got=len(text))
    me = await session.get(Person, actor.person_id)
    if other.telegram_id is not None:
        t = i18n.get(other.locale)
        header = t("sit.relay_header", id=request.id, name=me.full_name if me else "—")
        buttons = [[Button(t.plain("btn.help_reply"), Action.REPLY_HELP, {"request": request.id}),
                    Button(t.plain("btn.help_close"), Action.CLOSE_HELP, {"request": request.id})]]  # either side closes
        await enqueue(session, chat_id=other.telegram_id, person_id=other.id, kind="help_relay",
                      text=header + ("\n" + html.escape(text, quote=False) if text else ""),
                      buttons=buttons, copy_of=copy_of, now=now)
    if role == Role.MENTOR and request.first_answer_at is None:
        request.first_answer_at = now
    await session.commit()
    return other.full_name or "—"


async def close(session: AsyncSession, actor: Actor, request_id: int, now: datetime, i18n: I18n) -> Role:
    request = await session.get(HelpRequest, request_id)
    if request is None:
        raise NotFound()
    role, other = await _party(session, actor, request)
    if request.status == HelpRequestStatus.CLOSED:
        raise InvalidInput("sit.closed")
    request.status = HelpRequestStatus.CLOSED
    request.closed_at = now
    if other is not None and other.telegram_id is not None:
        t = i18n.get(other.locale)
        buttons = None
        if role == Role.MENTOR:  # the mentee still rates it
            buttons = [[Button(str(n), Action.RATE_HELP, {"request": request.id, "rating": n}) for n in range(1, 6)]]
        await enqueue(session, chat_id=other.telegram_id, person_id=other.id, kind="help",
                      text=t("sit.closed_by_mentor" if role == Role.MENTOR else "sit.closed_by_mentee",
                             id=request.id), buttons=buttons, now=now)
    await session.commit()
    return role


async def rate(session: AsyncSession, actor: Actor, request_id: int, rating: int | None, comment: str | None) -> None:
    """A 1–5 rating of a closed request, or (rating None) the comment on the rating already given."""
    request = await session.get(HelpRequest, request_id)
    if request is None:
        raise NotFound()
    if request.mentee_id != actor.person_id:
        raise AccessDenied()
    if request.status != HelpRequestStatus.CLOSED or request.rating is not None and comment is None:
        raise InvalidInput("error.stale_button")
    if rating is None:
        if request.rating is None or request.rating_comment is not None:
            raise InvalidInput("error.stale_button")
    elif not 1 <= rating <= 5:
        raise InvalidInput()
    else:
        request.rating = rating
    if comment:
        if len(comment) > 1000:
            raise InvalidInput("profile.too_long", max=1000, got=len(comment))
        request.rating_comment = comment.strip()
    await session.commit()


async def end_for_leaver(session: AsyncSession, person_id: int, org_id: int | None, now: datetime,
                         i18n: I18n) -> None:
    """The person withdrew their consent (in `org_id`, or everywhere): their requests still open, and the
    ones they took as a mentor, are closed, and the other side is told (without the leaver's name, which
    may be about to be erased). In the caller's transaction."""
    for request in await queries.unfinished_of(session, person_id, org_id):
        request.status, request.closed_at = HelpRequestStatus.CLOSED, now
        if request.mentor_id == person_id:
            other, key = request.mentee_id, "sit.closed_mentor_left"
        else:
            other, key = request.mentor_id, "sit.closed_mentee_left"
        person = await session.get(Person, other) if other is not None else None
        if person is not None and person.telegram_id is not None:
            await enqueue(session, chat_id=person.telegram_id, person_id=person.id, kind="help",
                          text=i18n.get(person.locale)(key, id=request.id), now=now)


@dataclass
class RequestLine:
    id: int
    mentee: str
    status: HelpRequestStatus
    created_at: datetime
    text: str
    mine: bool = False  # taken by the mentor asking


async def mentor_requests(session: AsyncSession, actor: Actor) -> list[RequestLine]:
    """Open requests offered to the mentor and their own taken and recent ones."""
    if not actor.orgs_where(Role.MENTOR):
        raise AccessDenied("sit.only_mentors")
    rows = await queries.mentor_lines(session, actor.person_id, await queries.offered_to(session, actor.person_id))
    return [RequestLine(r.id, name or "—", r.status, r.created_at, _excerpt(r.text, 80), r.mentor_id == actor.person_id)
            for r, name in rows]


@dataclass
class HelpFigures:
    organization_name: str
    total: int
    open: int
    taken: int
    closed: int
    overdue: int
    median_first_answer_minutes: float | None
    mean_rating: float | None
    overdue_lines: list[RequestLine]


async def curator_figures(session: AsyncSession, actor: Actor, org_id: int, now: datetime) -> HelpFigures:
    if not actor.has_role(org_id, *CURATORS):
        raise AccessDenied("sit.only_curators")
    org = await session.get(Organization, org_id)
    assert org is not None
    by_status = await queries.counts_by_status(session, org_id)
    waits = [(answer - created).total_seconds() / 60 for created, answer in await queries.answer_times(session, org_id)]
    mean_rating = await queries.mean_rating(session, org_id)
    overdue = await queries.overdue_in(session, org_id, now)
    return HelpFigures(
        org.name, sum(by_status.values()), by_status.get(HelpRequestStatus.OPEN, 0),
        by_status.get(HelpRequestStatus.TAKEN, 0), by_status.get(HelpRequestStatus.CLOSED, 0), len(overdue),
        statistics.median(waits) if waits else None, mean_rating,
        [RequestLine(r.id, name or "—", r.status, r.created_at, _excerpt(r.text, 80)) for r, name in overdue[:10]])


async def escalate_due(session: AsyncSession, now: datetime, i18n: I18n) -> int:
    """Unaccepted requests past their working-hours deadline go to the curators; taken ones not yet
    answered within the same time remind their mentor. Once each."""
    count = 0
    for request in await queries.due_for_escalation(session, now):
        await _escalate(session, request, now, i18n)
        count += 1
    for request, org in await queries.taken_unanswered(session):
        if add_working_hours(request.taken_at, org.help_escalation_hours, org.timezone) > now:  # type: ignore[arg-type]
            continue
        request.reminded_at = now
        mentor = await session.get(Person, request.mentor_id)
        if mentor is not None and mentor.telegram_id is not None:
            await enqueue(session, chat_id=mentor.telegram_id, person_id=mentor.id, kind="help",
                          text=i18n.get(mentor.locale)("sit.remind_mentor", id=request.id), now=now,
                          dedup_key=f"help:{request.id}:remind")
            count += 1
    await session.commit()
    return count
