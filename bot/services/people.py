"""Who is in a pair or group, and the people features ask about: curators of an organisation, a pair's
current mentor and mentees, pairs' one-line titles, mentors' loads."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    Exists,
    Row,
    Select,
    Subquery,
    bindparam,
    distinct,
    exists,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import (
    Membership,
    Mentorship,
    MentorshipStatus,
    Participant,
    Person,
    Role,
)
from db.repositories import plain_rows

CURATORS = (Role.CURATOR, Role.HEAD)


# a pair or group that is not over
OPEN = (MentorshipStatus.PROPOSED, MentorshipStatus.APPROVAL, MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED)


@dataclass
class PersonRef:
    person_id: int
    name: str
    telegram_id: int | None
    locale: str | None


def person_ref(person: Person) -> PersonRef:
    return PersonRef(person.id, person.full_name or "—", person.telegram_id, person.locale)


def current_mentor(m: Mentorship) -> Participant | None:
    return next((p for p in m.participants if p.role == Role.MENTOR and p.left_at is None
                 and p.declined_at is None), None)


def current_mentees(m: Mentorship) -> list[Participant]:
    return [p for p in m.participants if p.role == Role.MENTEE and p.left_at is None and p.declined_at is None]


def pair_title_of(mentor: str | None, mentees: list[str | None]) -> str:
    """"Mentor → mentees", the one-line name of a pair or group."""
    return f"{mentor or '—'} → " + (", ".join(name or "—" for name in mentees) or "—")


def pair_title(m: Mentorship) -> str:
    mentor = current_mentor(m)
    return pair_title_of(mentor.person.full_name if mentor else None,
                         [p.person.full_name for p in current_mentees(m)])


def named_select(mentorships: Subquery) -> Select:
    return (select(mentorships.c.id, Participant.role, Person.full_name)
            .outerjoin(Participant, (Participant.mentorship_id == mentorships.c.id) & Participant.left_at.is_(None)
                       & Participant.declined_at.is_(None))
            .outerjoin(Person, Person.id == Participant.person_id)
            .order_by(mentorships.c.id.desc(), Participant.id))


def names_by_pair(rows: Iterable[Row]) -> dict[int, tuple[list[str | None], list[str | None]]]:
    people: dict[int, tuple[list[str | None], list[str | None]]] = {}
    for mentorship_id, role, name in rows:
        mentors, mentees = people.setdefault(mentorship_id, ([], []))
        if role == Role.MENTOR:
            mentors.append(name)
        elif role == Role.MENTEE:
            mentees.append(name)
    return people


async def named_participants(session: AsyncSession, mentorships: Subquery
                             ) -> dict[int, tuple[list[str | None], list[str | None]]]:
    """Mentorship id → (current mentors' names, current mentees' names) for the ids a one-column
    `mentorships` subquery selects, descending ids first, in one query of plain rows."""
    return names_by_pair((await session.execute(named_select(mentorships))).all())


def titles_of(named: dict[int, tuple[list[str | None], list[str | None]]]) -> list[tuple[int, str]]:
    return [(mid, pair_title_of(mentors[0] if mentors else None, mentees)) for mid, (mentors, mentees) in named.items()]


PAIR_TITLES = named_select(select(Mentorship.id).where(
    Mentorship.id.in_(bindparam("ids", expanding=True))).subquery())  # built once


async def pair_titles(session: AsyncSession, mentorship_ids: Iterable[int]) -> dict[int, str]:
    """Titles of many mentorships in one query (not a `load` each)."""
    ids = list(mentorship_ids)
    if not ids:
        return {}
    return dict(titles_of(names_by_pair(await plain_rows(session, PAIR_TITLES, {"ids": ids}))))


def has_current_mentor() -> Exists:
    """Whether the enclosing query's mentorship has a mentor now (neither left nor declined): a correlated
    EXISTS. A pair whose mentor left waits for a new one."""
    mentor = aliased(Participant)
    return exists().where(mentor.mentorship_id == Mentorship.id, mentor.role == Role.MENTOR,
                          mentor.left_at.is_(None), mentor.declined_at.is_(None))


def _mentor_loads() -> Select:
    """Built once (its aliases made building it dearer than running it); `ids` expands to a list."""
    mentor, mentee = aliased(Participant), aliased(Participant)
    return (select(mentor.person_id, func.count(distinct(mentee.id)))
            .join(Mentorship, Mentorship.id == mentor.mentorship_id)
            .join(mentee, (mentee.mentorship_id == mentor.mentorship_id) & (mentee.role == Role.MENTEE)
                  & mentee.left_at.is_(None) & mentee.declined_at.is_(None))
            .where(mentor.person_id.in_(bindparam("ids", expanding=True)), mentor.role == Role.MENTOR,
                   mentor.left_at.is_(None), mentor.declined_at.is_(None), Mentorship.status.in_(OPEN))
            .group_by(mentor.person_id))


MENTOR_LOADS = _mentor_loads()


async def mentor_loads(session: AsyncSession, mentor_ids: Sequence[int]) -> dict[int, int]:
    """`mentor_load` of many mentors in one query per thousand (not one per mentor)."""
    loads: dict[int, int] = {}
    ids = list(dict.fromkeys(mentor_ids))
    for start in range(0, len(ids), 1000):
        loads.update((await session.execute(MENTOR_LOADS, {"ids": ids[start:start + 1000]})).all())
    return loads


async def curators_of(session: AsyncSession, org_id: int) -> list[Person]:
    return list((await session.scalars(
        select(Person).join(Membership, Membership.person_id == Person.id).where(
            Membership.organization_id == org_id, Membership.role == Role.CURATOR,
            Membership.ended_at.is_(None), Person.erased_at.is_(None)).distinct())).all())
