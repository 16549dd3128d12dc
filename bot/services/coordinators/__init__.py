"""The coordinator's view: the organisations below a municipal or regional body
(`Organization.parent_id`, any depth), their indicators per organisation and in total, and never
anything personal (seed 002, seed 004 §III.4–6: monitoring across organisations)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import summary
from bot.services.actor import Actor
from bot.services.coordinators import queries
from bot.services.errors import AccessDenied
from bot.services.organizations import by_name
from bot.services.summary import Indicators
from db.models import Organization, Role


@dataclass(frozen=True)
class Region:
    """What a coordinator reads: the organisations below, by name, their figures and the total."""

    orgs: list[Organization]
    figures: dict[int, Indicators]
    total: Indicators


def is_coordinator(actor: Actor) -> bool:
    return bool(actor.orgs_where(Role.COORDINATOR))


async def coordinated_orgs(session: AsyncSession, actor: Actor) -> list[Organization]:
    """The organisations below the coordinator's (any depth), not the coordinator's own body."""
    roots = {org_id for org_id, _ in actor.orgs_where(Role.COORDINATOR)}
    if not roots:
        return []
    children: dict[int, list[int]] = defaultdict(list)
    for org_id, parent_id in await queries.parent_links(session):
        children[parent_id].append(org_id)
    found: set[int] = set()
    queue = list(roots)
    while queue:
        for child in children.get(queue.pop(), []):
            if child not in found and child not in roots:
                found.add(child)
                queue.append(child)
    if not found:
        return []
    return await by_name(session, list(found))


async def region(session: AsyncSession, actor: Actor, now: datetime) -> Region:
    """The figures of every organisation below the coordinator's; an empty region has none."""
    if not is_coordinator(actor):
        raise AccessDenied("summary.only_curators")
    orgs = await coordinated_orgs(session, actor)
    figures = await summary.indicators(session, orgs, now) if orgs else {}
    return Region(orgs, figures, summary.total(list(figures.values())))


async def organisation(session: AsyncSession, actor: Actor, org_id: int,
                       now: datetime) -> tuple[Organization, Indicators]:
    """One organisation below the coordinator's: its figures only."""
    for org in await coordinated_orgs(session, actor):
        if org.id == org_id:
            return org, (await summary.indicators(session, [org], now))[org.id]
    raise AccessDenied("summary.not_yours")
