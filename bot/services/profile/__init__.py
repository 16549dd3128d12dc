"""The profile: common fields and each role's part, filled step by step and edited later.

A step is a string: a common field (`full_name`) or a role field with its membership
(`difficulties.12`; a dot, as ":" separates callback data fields). Onboarding walks a queue of steps; editing walks one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.numbers import is_whole
from db.models import Membership, MenteeCategory, Person, Role
from db.repositories import MembershipRepo, OrganizationRepo, PersonRepo

NAME_MAX = 200
FIELD_MAX = 200
NOTE_MAX = 1000
EXPERIENCE_MAX = 70
CAPACITY_MAX = 20

COMMON_STEPS = ("full_name", "position", "subject", "experience", "under_35")
GUEST_STEPS = ("full_name", "position")  # an outside expert is asked no teacher's questions
ROLE_STEPS: dict[Role, tuple[str, ...]] = {
    Role.MENTEE: ("category", "difficulties", "note"),
    Role.MENTOR: ("competencies", "capacity"),
}
EDIT_ONLY_STEPS: dict[Role, tuple[str, ...]] = {Role.MENTOR: ("beyond",)}  # never asked at onboarding
TEXT_STEPS = {"full_name", "position", "subject", "experience", "note"}
TOPIC_STEPS = {"difficulties", "competencies"}
OPTIONAL_STEPS = {"note"}


def split_step(step: str) -> tuple[str, int | None]:
    name, _, membership = step.partition(".")
    return name, int(membership) if is_whole(membership) else None


def normalize_name(text: str) -> str:
    """The search key of a name: case-folded, ё as е, single spaces."""
    return " ".join(text.casefold().replace("ё", "е").split())


def role_steps(membership_id: int, role: Role) -> list[str]:
    return [f"{name}.{membership_id}" for name in ROLE_STEPS.get(role, ())]


def missing_steps(person: Person) -> list[str]:
    """The steps a person has not answered yet (optional ones are not counted)."""
    steps: list[str] = []
    values = {
        "full_name": person.full_name,
        "position": person.position,
        "subject": person.subject,
        "experience": person.experience_years,
        "under_35": person.under_35,
    }
    current = [m for m in person.memberships if m.ended_at is None]
    asked = GUEST_STEPS if current and all(m.role == Role.GUEST for m in current) else COMMON_STEPS
    steps += [name for name in asked if values[name] is None]
    for m in person.memberships:
        if m.ended_at is not None:
            continue
        if m.role == Role.MENTEE:
            if m.mentee_category is None:
                steps.append(f"category.{m.id}")
            if not m.topics:
                steps += [f"difficulties.{m.id}", f"note.{m.id}"]
        elif m.role == Role.MENTOR:
            if not m.topics:
                steps.append(f"competencies.{m.id}")
            if m.capacity is None:
                steps.append(f"capacity.{m.id}")
    return steps


_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def parse_text(step_name: str, raw: str) -> str | int:
    """Validate typed input for a text step; raises InvalidInput with a key to show."""
    if step_name == "note":
        text = raw.strip()
        if len(text) > NOTE_MAX:
            raise InvalidInput("profile.too_long", max=NOTE_MAX, got=len(text))
        return text
    text = _clean(raw)
    if step_name == "experience":
        if not is_whole(text) or int(text) > EXPERIENCE_MAX:
            raise InvalidInput("profile.bad_experience", max=EXPERIENCE_MAX)
        return int(text)
    limit = NAME_MAX if step_name == "full_name" else FIELD_MAX
    if len(text) > limit:
        raise InvalidInput("profile.too_long", max=limit, got=len(text))
    if len(text) < 2 or not any(ch.isalpha() for ch in text):
        raise InvalidInput("profile.too_short")
    return text


@dataclass
class RolePart:
    membership_id: int
    organization_id: int
    organization_name: str
    role: Role
    mentee_category: MenteeCategory | None = None
    topics: list[str] = field(default_factory=list)
    difficulties_note: str | None = None
    capacity: int | None = None
    joined_at: datetime | None = None
    beyond_school: bool = False


@dataclass
class PersonView:
    person_id: int
    full_name: str | None
    position: str | None
    subject: str | None
    experience_years: int | None
    under_35: bool | None
    complete: bool
    roles: list[RolePart]
    unreachable_since: datetime | None = None


def person_view(person: Person, org_id: int | None = None) -> PersonView:
    return PersonView(
        person_id=person.id,
        full_name=person.full_name,
        position=person.position,
        subject=person.subject,
        experience_years=person.experience_years,
        under_35=person.under_35,
        complete=person.profile_completed_at is not None,
        unreachable_since=person.unreachable_at,
        roles=[
            RolePart(
                membership_id=m.id,
                organization_id=m.organization_id,
                organization_name=m.organization.name,
                role=m.role,
                mentee_category=m.mentee_category,
                topics=[t.title for t in m.topics],
                difficulties_note=m.difficulties_note,
                capacity=m.capacity,
                joined_at=m.created_at,
                beyond_school=m.beyond_school,
            )
            for m in person.memberships
            if m.ended_at is None and (org_id is None or m.organization_id == org_id)
        ],
    )


async def _own_person(session: AsyncSession, actor: Actor) -> Person:
    if actor.person_id is None:
        raise AccessDenied("error.not_registered")
    person = await PersonRepo(session).get(actor.person_id)
    if person is None or person.erased_at is not None:
        raise AccessDenied("error.not_registered")
    return person


def _own_membership(person: Person, membership_id: int | None, role: Role) -> Membership:
    membership = next(
        (m for m in person.memberships if m.id == membership_id and m.ended_at is None), None
    )
    if membership is None or membership.role != role:
        raise AccessDenied()
    return membership


async def get_profile(session: AsyncSession, actor: Actor) -> PersonView:
    return person_view(await _own_person(session, actor))


async def topic_choices(session: AsyncSession, actor: Actor, step: str) -> tuple[list[tuple[int, str]], list[int]]:
    """The catalogue for a topic step and what the person has chosen so far."""
    name, membership_id = split_step(step)
    person = await _own_person(session, actor)
    role = Role.MENTEE if name == "difficulties" else Role.MENTOR
    membership = _own_membership(person, membership_id, role)
    topics = await OrganizationRepo(session).topics(membership.organization_id)
    chosen = await MembershipRepo(session).topic_ids(membership.id)
    return [(t.id, t.title) for t in topics], chosen


async def save_answer(session: AsyncSession, actor: Actor, step: str, value: object) -> None:
    """Store one answer of the person's own profile. `value` is parsed already."""
    name, membership_id = split_step(step)
    person = await _own_person(session, actor)
    if name == "full_name":
        person.full_name = str(value)
        person.search_name = normalize_name(str(value))
    elif name == "position":
        person.position = str(value)
    elif name == "subject":
        person.subject = str(value)
    elif name == "experience":
        person.experience_years = int(value)  # type: ignore[arg-type]
    elif name == "under_35":
        person.under_35 = bool(value)
    elif name == "category":
        membership = _own_membership(person, membership_id, Role.MENTEE)
        try:
            membership.mentee_category = MenteeCategory(value)
        except ValueError:
            raise InvalidInput() from None
    elif name == "note":
        membership = _own_membership(person, membership_id, Role.MENTEE)
        membership.difficulties_note = str(value) or None
    elif name == "capacity":
        membership = _own_membership(person, membership_id, Role.MENTOR)
        if not isinstance(value, int) or not 1 <= value <= CAPACITY_MAX:
            raise InvalidInput("profile.bad_capacity", max=CAPACITY_MAX)
        membership.capacity = value
    elif name == "beyond":  # edit only: the pool beyond the school (bot/services/help_requests)
        membership = _own_membership(person, membership_id, Role.MENTOR)
        membership.beyond_school = bool(value)
    elif name in TOPIC_STEPS:
        role = Role.MENTEE if name == "difficulties" else Role.MENTOR
        membership = _own_membership(person, membership_id, role)
        allowed = {t.id for t in await OrganizationRepo(session).topics(membership.organization_id)}
        chosen = [int(t) for t in value]  # type: ignore[union-attr]
        if not chosen:
            raise InvalidInput("profile.pick_topic")
        if not set(chosen) <= allowed:
            raise NotFound()
        await MembershipRepo(session).set_topics(membership.id, chosen)
    else:
        raise InvalidInput()
    await session.commit()


async def complete_profile(session: AsyncSession, actor: Actor, now: datetime) -> bool:
    """Mark onboarding finished when nothing required is missing."""
    person = await _own_person(session, actor)
    if missing_steps(person):
        return False
    if person.profile_completed_at is None:
        person.profile_completed_at = now
        await session.commit()
    return True


async def set_locale(session: AsyncSession, actor: Actor, locale: str) -> None:
    if locale not in ("ru", "en"):
        raise InvalidInput()
    person = await _own_person(session, actor)
    person.locale = locale
    await session.commit()
