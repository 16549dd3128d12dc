"""Who is acting: the person behind a Telegram user and the roles they hold where."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Role
from db.repositories import PersonRepo


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
        from bot.services.errors import AccessDenied

        orgs = self.orgs_where(*roles)
        if not orgs:
            raise AccessDenied(denied)
        return orgs[0][0]

    def membership(self, membership_id: int) -> RoleInOrg | None:
        return next((r for r in self.roles if r.membership_id == membership_id), None)


async def load_actor(session: AsyncSession, telegram_id: int) -> Actor:
    person = await PersonRepo(session).by_telegram_id(telegram_id)
    if person is None or person.erased_at is not None:
        return Actor(telegram_id=telegram_id)
    return Actor(
        telegram_id=telegram_id,
        person_id=person.id,
        locale=person.locale,
        profile_complete=person.profile_completed_at is not None,
        unreachable=person.unreachable_at is not None,
        roles=[
            RoleInOrg(m.id, m.organization_id, m.organization.name, m.role)
            for m in person.memberships
            if m.ended_at is None
        ],
    )
