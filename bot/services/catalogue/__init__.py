"""The catalogue of professional difficulties and competencies (seeds 000, 001, 004): mentees pick their
difficulties from it and mentors their competencies, and pairs are matched on it. The curator adds,
renames and retires entries. A retired entry stays on the records that name it (profiles, programs,
help requests) and is offered no more; it can be brought back."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.actor import Actor
from bot.services.catalogue import queries
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from db.models import Role, Topic

EDITORS = (Role.CURATOR,)
TITLE_MIN, TITLE_MAX = 3, 200


@dataclass(frozen=True)
class Entry:
    id: int
    title: str
    retired: bool
    used: int  # profiles that name it


def editable_orgs(actor: Actor) -> list[tuple[int, str]]:
    return actor.orgs_where(*EDITORS)


def _check(actor: Actor, org_id: int) -> None:
    if not actor.has_role(org_id, *EDITORS):
        raise AccessDenied("catalogue.only_curators")


def clean_title(raw: str) -> str:
    title = " ".join(raw.split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise InvalidInput("catalogue.bad_title", min=TITLE_MIN, max=TITLE_MAX)
    return title


async def entries(session: AsyncSession, actor: Actor, org_id: int) -> list[Entry]:
    _check(actor, org_id)
    return [Entry(topic.id, topic.title, topic.archived, used) for topic, used in await queries.entries(session, org_id)]


async def entry(session: AsyncSession, actor: Actor, topic_id: int) -> tuple[int, Entry]:
    """(its organisation, the entry)."""
    topic = await _topic(session, actor, topic_id)
    for found in await entries(session, actor, topic.organization_id):
        if found.id == topic.id:
            return topic.organization_id, found
    raise NotFound()


async def _topic(session: AsyncSession, actor: Actor, topic_id: int) -> Topic:
    topic = await session.get(Topic, topic_id)
    if topic is None:
        raise NotFound()
    _check(actor, topic.organization_id)
    return topic


async def _unique(session: AsyncSession, org_id: int, title: str, topic_id: int | None = None) -> None:
    existing = (await queries.titles(session, org_id)).get(title.casefold())
    if existing is not None and existing != topic_id:
        raise InvalidInput("catalogue.exists")


async def add(session: AsyncSession, actor: Actor, org_id: int, title: str) -> int:
    _check(actor, org_id)
    title = clean_title(title)
    await _unique(session, org_id, title)
    topic = Topic(organization_id=org_id, title=title, position=await queries.last_position(session, org_id) + 1)
    session.add(topic)
    await session.commit()
    return topic.id


async def rename(session: AsyncSession, actor: Actor, topic_id: int, title: str) -> int:
    """A new wording for the same entry: everyone who named it keeps it. Returns the organisation."""
    topic = await _topic(session, actor, topic_id)
    title = clean_title(title)
    await _unique(session, topic.organization_id, title, topic.id)
    topic.title = title
    await session.commit()
    return topic.organization_id


async def set_retired(session: AsyncSession, actor: Actor, topic_id: int, retired: bool) -> int:
    """Retire an entry (offered no more, kept where it is named) or bring it back. Returns the organisation."""
    topic = await _topic(session, actor, topic_id)
    if topic.archived == retired:
        raise InvalidInput("error.stale_button")
    topic.archived = retired
    await session.commit()
    return topic.organization_id
