"""Consents to personal-data processing: showing them and withdrawing them (152-ФЗ, art. 9)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.erasure import erase_traces
from bot.services.errors import AccessDenied, NotFound
from bot.services.help_requests import end_for_leaver
from bot.services.mentorships import leave_all
from bot.services.surveys import forget_person
from db.engine import checkpoint
from db.repositories import Repos


@dataclass(frozen=True)
class ConsentView:
    organization_id: int
    organization_name: str
    timezone: str
    version: str
    accepted_at: datetime


async def list_consents(session: AsyncSession, actor: Actor) -> list[ConsentView]:
    if actor.person_id is None:
        raise AccessDenied("error.not_registered")
    repos = Repos(session)
    views = []
    for consent in await repos.consents.active(actor.person_id):
        org = await repos.organizations.get(consent.organization_id)
        assert org is not None
        views.append(ConsentView(org.id, org.name, org.timezone, consent.version, consent.accepted_at))
    return views


async def withdraw_consent(session: AsyncSession, actor: Actor, org_id: int, now: datetime, i18n: I18n) -> bool:
    """Withdraw the consent given to one organisation and end the roles there.

    When no consent remains, the person's personal data is erased: name, profile, Telegram id,
    difficulties and competencies. The row stays, anonymous, so counts of past participants
    and (later) the history of pairs stay correct. Returns whether the data was erased.
    """
    if actor.person_id is None:
        raise AccessDenied("error.not_registered")
    repos = Repos(session)
    if not await repos.consents.withdraw(actor.person_id, org_id, now):
        raise NotFound()
    await repos.memberships.end_in_org(actor.person_id, org_id, now)
    erased = not await repos.consents.active(actor.person_id)
    await leave_all(session, actor.person_id, None if erased else org_id, now, i18n)
    await end_for_leaver(session, actor.person_id, None if erased else org_id, now, i18n)
    if erased:
        person = await repos.people.get(actor.person_id)
        assert person is not None
        await repos.memberships.erase_personal_parts(person.id)
        await session.flush()  # the notices just queued are looked through too
        await erase_traces(session, person, now)
        await forget_person(session, person.id)
        await repos.memberships.end_in_org(person.id, None, now)
        for attr in ("telegram_id", "full_name", "search_name", "position", "subject",
                     "experience_years", "under_35", "locale", "unreachable_at"):
            setattr(person, attr, None)
        person.erased_at = now
    await session.commit()
    if erased:
        await checkpoint(session)
    return erased
