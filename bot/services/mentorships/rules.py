"""Rules every part of mentoring shares: limits, dates in the organisation's zone, who may act."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.people import CURATORS, current_mentees, current_mentor
from db.models import (
    CompletionReason,
    Mentorship,
    Role,
)

MIN_MONTHS, MAX_MONTHS = 3, 12
MAX_GROUP = 6


MAX_TOTAL_MONTHS = 24  # an extension may not take a program past two years


TEXT_MAX = 1000




REMINDER_HOUR = 9  # local time from which the day's reminders go out


DUE_SOON_DAYS = 3


def add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(start.day, days))


def local_today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def clean_text(raw: str, limit: int = TEXT_MAX) -> str:
    text = raw.strip()
    if len(text) > limit:
        raise InvalidInput("profile.too_long", max=limit, got=len(text))
    if len(text) < 2:
        raise InvalidInput("profile.too_short")
    return text


def viewer_role(actor: Actor, m: Mentorship) -> Role:
    """How the actor may see this mentorship; AccessDenied when not at all."""
    mentor = current_mentor(m)
    return role_seen(actor, m.organization_id, mentor.person_id if mentor else None,
                      [p.person_id for p in current_mentees(m)])


def role_seen(actor: Actor, org_id: int, mentor_id: int | None, mentee_ids: Iterable[int]) -> Role:
    if mentor_id is not None and mentor_id == actor.person_id:
        return Role.MENTOR
    if actor.person_id in mentee_ids:
        return Role.MENTEE
    if actor.has_role(org_id, *CURATORS):
        return Role.CURATOR
    raise AccessDenied()


async def check_curator(actor: Actor, org_id: int) -> None:
    if not actor.has_role(org_id, *CURATORS):
        raise AccessDenied("pairs.only_curators")

ALLOWED_REASONS: dict[Role, tuple[CompletionReason, ...]] = {
    Role.MENTOR: (CompletionReason.PLAN_DONE, CompletionReason.EVALUATION, CompletionReason.MENTOR_INITIATIVE),
    Role.MENTEE: (CompletionReason.MENTEE_INITIATIVE,),
    Role.CURATOR: (CompletionReason.PLAN_DONE, CompletionReason.EVALUATION, CompletionReason.CURATOR_FORCE_MAJEURE),
}
