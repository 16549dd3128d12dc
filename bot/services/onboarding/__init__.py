"""Joining by invite: personal-data consent first, then the membership and the profile steps."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInvite
from bot.services.invites import InviteInfo, inspect_invite
from bot.services.profile import missing_steps, role_steps
from db.models import Role
from db.repositories import Repos

# The version of the consent text in locales/*.toml (`consent.text`). Bump it when the text changes:
# people are then asked again, and each consent row records the version they accepted.
CONSENT_VERSION = "2026-11-1"


@dataclass(frozen=True)
class JoinResult:
    person_id: int
    membership_id: int
    role: Role
    organization_name: str
    steps: list[str]


async def needs_consent(session: AsyncSession, actor: Actor, org_id: int) -> bool:
    if actor.person_id is None:
        return True
    active = await Repos(session).consents.active(actor.person_id)
    return not any(c.organization_id == org_id and c.version == CONSENT_VERSION for c in active)


async def check_invite_for(session: AsyncSession, actor: Actor, token: str, now: datetime) -> InviteInfo:
    return await inspect_invite(session, token, now, actor)


async def join(
    session: AsyncSession,
    actor: Actor,
    token: str,
    *,
    consent_given: bool,
    locale: str | None,
    now: datetime,
) -> JoinResult:
    """Use an invite. Personal data is stored only here, and only with the consent given."""
    info = await check_invite_for(session, actor, token, now)
    repos = Repos(session)
    if await needs_consent(session, actor, info.organization_id) and not consent_given:
        raise AccessDenied("consent.required")
    if not await repos.invites.consume(info.invite_id, now):
        await session.rollback()
        raise InvalidInvite("invite.used_up")
    person = await repos.people.by_telegram_id(actor.telegram_id)
    if person is None:
        person = await repos.people.add(actor.telegram_id, locale)
    if consent_given and await needs_consent(session, actor, info.organization_id):
        await repos.consents.add(person.id, info.organization_id, CONSENT_VERSION, now)
    membership = await repos.memberships.find(person.id, info.organization_id, info.role)
    if membership is None:
        membership = await repos.memberships.add(person.id, info.organization_id, info.role, info.invite_id)
    else:  # rejoining after a withdrawal from this organisation
        membership.ended_at = None
        membership.invite_id = info.invite_id
        membership.created_at = now
    await session.commit()

    person = await repos.people.get(person.id)
    assert person is not None
    steps = missing_steps(person) if person.profile_completed_at is None else role_steps(membership.id, info.role)
    return JoinResult(person.id, membership.id, info.role, info.organization_name, steps)
