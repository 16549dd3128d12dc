"""Organisations and their catalogue of professional difficulties/competencies."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput, NotFound
from bot.services.surveys import MIN_ANSWERS
from db.models import Organization
from db.repositories import OrganizationRepo

# The starting catalogue, from the difficulties the regulations name (seeds 000, 001, 004).
# Mentees pick their difficulties from it, mentors their competencies, so pairs can be matched.
DEFAULT_TOPICS = (
    "Планирование уроков и занятий, рабочая программа",
    "Методика преподавания предмета",
    "Управление классом (группой), дисциплина",
    "Оценивание и контроль результатов",
    "Работа с родителями (законными представителями)",
    "Инклюзия, дети с ОВЗ",
    "Воспитательная работа, классное руководство",
    "Цифровые и дистанционные технологии",
    "Проектная и исследовательская деятельность",
    "Педагогическая документация, ФГОС",
    "Подготовка к аттестации и конкурсам профмастерства",
    "Профессиональное выгорание, психологическая поддержка",
)


@dataclass(frozen=True)
class OrganizationInfo:
    id: int
    name: str
    timezone: str


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("error.timezone", zone=name) from None
    return name


async def create_organization(session: AsyncSession, name: str, timezone: str,
                              parent_id: int | None = None) -> OrganizationInfo:
    """An organisation with the default catalogue; `parent_id` is the municipal or regional body
    above it, whose coordinators see its figures."""
    name = " ".join(name.split())
    if not 2 <= len(name) <= 300:
        raise InvalidInput("error.org_name")
    check_timezone(timezone)
    repo = OrganizationRepo(session)
    if parent_id is not None and await repo.get(parent_id) is None:
        raise NotFound("error.org_not_found", org_id=parent_id)
    org = await repo.add(name, timezone, DEFAULT_TOPICS)
    org.parent_id = parent_id
    await session.commit()
    return OrganizationInfo(org.id, org.name, org.timezone)


async def set_help_escalation_hours(session: AsyncSession, org_id: int, hours: int) -> None:
    """How many working hours an untaken help request waits before it goes to the curator."""
    if not 1 <= hours <= 40:
        raise InvalidInput("error.help_hours")
    org = await OrganizationRepo(session).get(org_id)
    if org is None:
        raise NotFound("error.org_not_found", org_id=org_id)
    org.help_escalation_hours = hours
    await session.commit()


async def set_survey_min_answers(session: AsyncSession, org_id: int, answers: int) -> None:
    """How many answers a survey needs before its results are shown: never fewer than 3, so that
    no answer can be told apart."""

    if not MIN_ANSWERS <= answers <= 1000:
        raise InvalidInput("error.survey_min", min=MIN_ANSWERS)
    org = await OrganizationRepo(session).get(org_id)
    if org is None:
        raise NotFound("error.org_not_found", org_id=org_id)
    org.survey_min_answers = answers
    await session.commit()


async def set_channel(session: AsyncSession, org_id: int, chat_id: int) -> None:
    """The Telegram channel practices are posted to (the bot must be its admin); 0 clears it."""
    org = await session.get(Organization, org_id)
    if org is None:
        raise NotFound("error.org_not_found", org_id=org_id)
    org.channel_id = chat_id or None
    await session.commit()


async def timezone_of(session: AsyncSession, org_id: int) -> str:
    """The organisation's IANA zone, in which its people read dates ("UTC" for one that is gone)."""
    zone = await session.scalar(select(Organization.timezone).where(Organization.id == org_id))
    return zone or "UTC"


async def by_name(session: AsyncSession, ids: Sequence[int]) -> list[Organization]:
    """These organisations, by name."""
    return list((await session.scalars(select(Organization).where(Organization.id.in_(ids))
                                       .order_by(Organization.name))).all())



async def _tree(session: AsyncSession) -> tuple[dict[int, int | None], dict[int, list[int]]]:
    """Every organisation's parent, and every body's children: one read of the parent links."""
    parents: dict[int, int | None] = dict((await session.execute(select(Organization.id, Organization.parent_id))).all())
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    return parents, children


def _descendants(children: dict[int, list[int]], root: int, seen: set[int]) -> list[int]:
    """Everything below `root` not in `seen` (which it fills), breadth first."""
    found: list[int] = []
    queue = list(children.get(root, []))
    while queue:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        found.append(current)
        queue += children.get(current, [])
    return found


async def neighbourhood(session: AsyncSession, org_id: int) -> list[int]:
    """The organisations that share a body above with this one (the other schools of its municipality, then
    of its region), nearest first; none for an organisation under nobody."""
    parents, children = await _tree(session)
    found: list[int] = []
    seen = {org_id}
    above = parents.get(org_id)
    while above is not None and above not in seen:
        seen.add(above)
        found += _descendants(children, above, seen)
        above = parents.get(above)
    return found


async def ancestors(session: AsyncSession, org_ids: Sequence[int]) -> list[int]:
    """The bodies above these organisations (their municipality, their region), each once."""
    parents, _ = await _tree(session)
    found: list[int] = []
    for org_id in org_ids:
        above, seen = parents.get(org_id), {org_id}
        while above is not None and above not in seen:
            seen.add(above)
            if above not in found:
                found.append(above)
            above = parents.get(above)
    return found


async def below(session: AsyncSession, org_id: int) -> list[int]:
    """Every organisation under this one, at any depth."""
    _, children = await _tree(session)
    return _descendants(children, org_id, {org_id})
