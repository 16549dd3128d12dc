"""Invitations: unguessable, role- and organisation-bound, expiring, limited in uses."""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, InvalidInvite, NotFound
from db.models import Invite, Role
from db.repositories import InviteRepo, OrganizationRepo

TOKEN_BYTES = 18  # 144 bits of randomness; 24 URL-safe characters, fits a /start payload (≤64)
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_USES = 500
MAX_DAYS = 90
DEFAULT_USES = 30
DEFAULT_DAYS = 7

# Who may invite whom from the chat. Coordinators are invited from the command line only.
INVITABLE_BY: dict[Role, frozenset[Role]] = {
    Role.CURATOR: frozenset({Role.MENTEE, Role.MENTOR, Role.CURATOR, Role.HEAD, Role.GUEST}),
    Role.HEAD: frozenset({Role.MENTEE, Role.MENTOR, Role.CURATOR, Role.HEAD, Role.GUEST}),
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def deep_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


@dataclass(frozen=True)
class CreatedInvite:
    token: str
    organization_id: int
    organization_name: str
    role: Role
    max_uses: int
    expires_at: datetime
    timezone: str


@dataclass(frozen=True)
class InviteInfo:
    invite_id: int
    organization_id: int
    organization_name: str
    role: Role


def invitable_roles(actor: Actor, org_id: int) -> list[Role]:
    allowed: set[Role] = set()
    for r in actor.roles:
        if r.organization_id == org_id:
            allowed |= INVITABLE_BY.get(r.role, frozenset())
    return [role for role in Role if role in allowed]


async def create_invite(
    session: AsyncSession,
    *,
    org_id: int,
    role: Role,
    now: datetime,
    max_uses: int = DEFAULT_USES,
    days: int = DEFAULT_DAYS,
    created_by: Actor | None = None,
) -> CreatedInvite:
    """Create an invite. `created_by=None` is the command line (the operator of the server)."""
    if created_by is not None and role not in invitable_roles(created_by, org_id):
        raise AccessDenied("invite.not_allowed")
    if not 1 <= max_uses <= MAX_USES:
        raise InvalidInput("invite.bad_uses", max=MAX_USES)
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput("invite.bad_days", max=MAX_DAYS)
    org = await OrganizationRepo(session).get(org_id)
    if org is None:
        raise NotFound("error.org_not_found", org_id=org_id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invite = await InviteRepo(session).add(
        Invite(
            token_hash=hash_token(token),
            organization_id=org.id,
            role=role,
            max_uses=max_uses,
            used_count=0,
            expires_at=now + timedelta(days=days),
            created_by_id=created_by.person_id if created_by else None,
            created_at=now,
        )
    )
    await session.commit()
    return CreatedInvite(token, org.id, org.name, role, max_uses, invite.expires_at, org.timezone)


async def inspect_invite(session: AsyncSession, token: str, now: datetime, actor: Actor | None = None) -> InviteInfo:
    """What an invite token grants; raises InvalidInvite for unknown, expired or used-up ones,
    and, when `actor` is given, for a role they hold already (said first: it is what they need to know)."""
    if not TOKEN_RE.match(token or ""):
        raise InvalidInvite()
    invite = await InviteRepo(session).by_hash(hash_token(token))
    if invite is None or invite.revoked_at is not None:
        raise InvalidInvite()
    org = await OrganizationRepo(session).get(invite.organization_id)
    assert org is not None
    if actor is not None and actor.has_role(org.id, invite.role):
        raise InvalidInvite("invite.already_member", role=invite.role.value, org=org.name)
    if invite.expires_at <= now:
        raise InvalidInvite("invite.expired")
    if invite.used_count >= invite.max_uses:
        raise InvalidInvite("invite.used_up")
    return InviteInfo(invite.id, org.id, org.name, invite.role)
