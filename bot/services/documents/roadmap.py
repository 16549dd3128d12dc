"""The school year's road map (дорожная карта: seed 000 §4.7, 001's template, 003 §1.1, 004 §III.10.3): the ten
stages of seed 001, each with its dates, the people responsible, and the results so far from what the bot
knows. The bot proposes the dates (within the school year) and the people (the curator, the head); the
curator changes either in the chat before printing, and the change is kept for that school year."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services.actor import Actor
from bot.services.documents import queries
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.mentorships import local_today
from bot.services.surveys import school_year
from db.models import Organization, RoadmapEntry, Role

EDITORS = (Role.CURATOR,)
READERS = (Role.CURATOR, Role.HEAD)
TEXT_MAX = {"dates": 200, "responsible": 300}

# seed 001, «Примерный макет Дорожной карты в образовательной организации»: the stages in order, each with
# who the bot proposes as responsible (the curator or the head). Their titles, their months in the school
# year and what the bot knows of them are the locales' roadmap.stage_N, months_N and result_N.
STAGES = ("curator", "curator", "curator", "curator", "curator", "head", "curator", "curator", "head", "curator")
RESULTS = {2: ("mentees",), 3: ("mentors",), 4: ("admitted", "trainings"), 5: ("pairs",), 7: ("active", "meetings"),
           8: ("completed",)}


@dataclass(frozen=True)
class Stage:
    number: int
    title: str
    dates: str
    responsible: str
    result: str  # what the bot knows of it so far


@dataclass(frozen=True)
class Roadmap:
    organization_id: int
    organization_name: str
    year: int
    stages: list[Stage]


async def _org(session: AsyncSession, actor: Actor, org_id: int, roles: tuple[Role, ...]) -> Organization:
    if not actor.has_role(org_id, *roles):
        raise AccessDenied("documents.only_curators")
    org = await session.get(Organization, org_id)
    if org is None:
        raise NotFound()
    return org


async def roadmap(session: AsyncSession, actor: Actor, org_id: int, now: datetime, t: Translator) -> Roadmap:
    """The road map in the reader's language (the document's: the organisation's default)."""
    org = await _org(session, actor, org_id, READERS)
    year = school_year(local_today(now, org.timezone))
    own = {e.stage: e for e in await queries.roadmap_entries(session, org_id, year)}
    curator, head = await queries.names_in_role(session, org_id, Role.CURATOR), \
        await queries.names_in_role(session, org_id, Role.HEAD)
    facts = await queries.roadmap_facts(session, org_id)
    stages = []
    for n, who in enumerate(STAGES, start=1):
        entry = own.get(n)
        people = ", ".join(curator if who == "curator" else head) or "—"
        result = t.plain(f"roadmap.result_{n}", **{key: facts[key] for key in RESULTS[n]}) if n in RESULTS else ""
        stages.append(Stage(n, t.plain(f"roadmap.stage_{n}"),
                            entry.dates if entry and entry.dates else t.plain(f"roadmap.months_{n}", year=year,
                                                                               next_year=year + 1),
                            entry.responsible if entry and entry.responsible else people, result))
    return Roadmap(org.id, org.name, year, stages)


async def edit_stage(session: AsyncSession, actor: Actor, org_id: int, stage: int, field: str, value: str,
                     now: datetime) -> None:
    """The curator's dates or people for a stage, kept for this school year."""
    org = await _org(session, actor, org_id, EDITORS)
    if not 1 <= stage <= len(STAGES) or field not in TEXT_MAX:
        raise InvalidInput()
    text = " ".join((value or "").split())
    if not 1 <= len(text) <= TEXT_MAX[field]:
        raise InvalidInput("roadmap.bad_text", max=TEXT_MAX[field])
    year = school_year(local_today(now, org.timezone))
    entry = await queries.roadmap_entry(session, org_id, year, stage)
    if entry is None:
        entry = RoadmapEntry(organization_id=org_id, school_year=year, stage=stage)
        session.add(entry)
    setattr(entry, field, text)
    entry.updated_at = now
    await session.commit()
