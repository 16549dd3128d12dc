"""The registry (банк наставников и наставляемых) as the curator sees it."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.profile import PersonView, normalize_name, person_view
from db.models import Role
from db.repositories import Repos

PAGE_SIZE = 8
QUERY_MAX = 100
# Who may read an organisation's registry.
READERS = (Role.CURATOR, Role.HEAD)


@dataclass(frozen=True)
class RegistryRow:
    person_id: int
    full_name: str | None
    roles: list[Role]
    complete: bool
    unreachable: bool = False


@dataclass(frozen=True)
class RegistryPage:
    organization_id: int
    organization_name: str
    role: Role | None
    query: str | None
    unreachable: bool
    page: int
    pages: int
    total: int
    rows: list[RegistryRow]


def _check_reader(actor: Actor, org_id: int) -> None:
    if not actor.has_role(org_id, *READERS):
        raise AccessDenied()


def clean_query(raw: str) -> str:
    query = normalize_name(raw)
    if not query:
        raise InvalidInput("registry.empty_query")
    if len(query) > QUERY_MAX:
        raise InvalidInput("profile.too_long", max=QUERY_MAX, got=len(query))
    return query


async def registry_page(
    session: AsyncSession,
    actor: Actor,
    org_id: int,
    *,
    role: Role | None = None,
    query: str | None = None,
    page: int = 0,
    unreachable: bool = False,
) -> RegistryPage:
    """One page of the registry; `unreachable` shows only people who blocked the bot."""
    _check_reader(actor, org_id)
    repos = Repos(session)
    org = await repos.organizations.get(org_id)
    if org is None:
        raise NotFound()
    total = await repos.registry.count(org_id, role, query, unreachable)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    people = await repos.registry.page(org_id, role, query, page * PAGE_SIZE, PAGE_SIZE, unreachable)
    roles = await repos.registry.roles(org_id, [p.id for p in people])
    rows = [
        RegistryRow(p.id, p.full_name, roles[p.id], p.profile_completed_at is not None,
                    p.unreachable_at is not None)
        for p in people
    ]
    return RegistryPage(org.id, org.name, role, query, unreachable, page, pages, total, rows)


async def person_card(session: AsyncSession, actor: Actor, org_id: int, person_id: int) -> PersonView:
    """A person's card, limited to their roles in `org_id`; only that organisation's readers see it."""
    _check_reader(actor, org_id)
    person = await Repos(session).people.get(person_id)
    if person is None or person.erased_at is not None:
        raise NotFound()
    view = person_view(person, org_id)
    if not view.roles:  # not a member here: the same answer as for a missing person
        raise NotFound()
    return view
