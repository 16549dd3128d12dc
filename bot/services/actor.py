"""Who is acting: the person behind a Telegram user and the roles they hold where."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import AccessDenied
from db.models import Membership, Organization, Person, Role
from db.repositories import plain_rows


@dataclass(frozen=True)
class RoleInOrg:
    membership_id: int
    organization_id: int
    organization_name: str
    role: Role


@dataclass
class Actor:
    telegram_id: int
    person_id: int | None = None
    locale: str | None = None
    profile_complete: bool = False
    unreachable: bool = False
    roles: list[RoleInOrg] = field(default_factory=list)

    @property
    def registered(self) -> bool:
        return self.person_id is not None

    def has_role(self, org_id: int, *roles: Role) -> bool:
        return any(r.organization_id == org_id and r.role in roles for r in self.roles)

    def role_set(self) -> set[Role]:
        return {r.role for r in self.roles}

    def orgs_where(self, *roles: Role) -> list[tuple[int, str]]:
        seen: dict[int, str] = {}
        for r in self.roles:
            if r.role in roles:
                seen.setdefault(r.organization_id, r.organization_name)
        return list(seen.items())

    def first_org_where(self, *roles: Role, denied: str) -> int:
        """The first organisation where the actor holds one of `roles`; AccessDenied(denied) if none."""

        orgs = self.orgs_where(*roles)
        if not orgs:
            raise AccessDenied(denied)
        return orgs[0][0]

    def membership(self, membership_id: int) -> RoleInOrg | None:
        return next((r for r in self.roles if r.membership_id == membership_id), None)


ACTOR_QUERY = (
    select(Person.id, Person.locale, Person.profile_completed_at, Person.unreachable_at,
           Membership.id.label("membership_id"), Membership.organization_id, Organization.name, Membership.role)
    .outerjoin(Membership, and_(Membership.person_id == Person.id, Membership.ended_at.is_(None)))
    .outerjoin(Organization, Organization.id == Membership.organization_id)
    .where(Person.telegram_id == bindparam("telegram_id"), Person.erased_at.is_(None))
    .order_by(Membership.id)
)


async def load_actor(session: AsyncSession, telegram_id: int) -> Actor:
    """One query on every update: the person and their current roles (plain rows, no ORM objects)."""
    rows = await plain_rows(session, ACTOR_QUERY, {"telegram_id": telegram_id})
    if not rows:
        return Actor(telegram_id=telegram_id)
    first = rows[0]
    return Actor(
        telegram_id=telegram_id,
        person_id=first.id,
        locale=first.locale,
        profile_complete=first.profile_completed_at is not None,
        unreachable=first.unreachable_at is not None,
        roles=[RoleInOrg(row.membership_id, row.organization_id, row.name, row.role)
               for row in rows if row.membership_id is not None],
    )
