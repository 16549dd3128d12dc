"""Self-regulated mentoring (seed 001, model 8): a mentee without a pair chooses a mentor (/mentors), where
the organisation allows it (`organizations.mentor_self_choice`, on by default). The mentors on offer are
those /pair offers the curator for this mentee — free places, admitted where mentors are selected — ranked
the same way, by how their competencies cover the mentee's difficulties. The choice is a proposal the
mentee has already agreed to: the mentor agrees or declines with a reason through the usual answer
(pairs.respond), the curator is told, and the head approves where approval is on."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.mentorships import queries
from bot.services.mentorships.notices import agree_or_refuse, describe
from bot.services.mentorships.pairs import rank_mentors
from bot.services.mentorships.queries import load_mentorship
from bot.services.notify import Action, tell
from bot.services.people import curators_of
from db.models import (
    MentoringForm,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Organization,
    Participant,
    Person,
    Role,
)

SHOWN = 10


@dataclass(frozen=True)
class MentorProfile:
    person_id: int
    name: str
    position: str | None
    subject: str | None
    experience_years: int | None
    overlap: list[str]  # the mentee's difficulties the mentor's competencies cover
    wanted: int
    free: int


async def _mentee_org(session: AsyncSession, actor: Actor) -> Organization:
    """The organisation where the actor, a mentee without a pair, may choose a mentor."""
    orgs = [org_id for org_id, _ in actor.orgs_where(Role.MENTEE)]
    if not orgs or actor.person_id is None:
        raise AccessDenied("mentors.only_mentees")
    for org_id in orgs:
        org = await session.get(Organization, org_id)
        if org is not None and org.mentor_self_choice:
            if actor.person_id not in {p.id for p in await queries.unpaired_mentees(session, org_id)}:
                raise InvalidInput("mentors.not_unpaired")
            return org
    raise AccessDenied("mentors.off")


async def choosable(session: AsyncSession, actor: Actor) -> tuple[Organization, list[MentorProfile]]:
    """The mentors the actor may ask, best match first (at most ten)."""
    org = await _mentee_org(session, actor)
    ranked = (await rank_mentors(session, org.id, [actor.person_id]))[:SHOWN]  # type: ignore[list-item]
    people = {p.id: p for p in [await session.get(Person, s.person_id) for s in ranked] if p is not None}
    return org, [MentorProfile(s.person_id, s.name, people[s.person_id].position, people[s.person_id].subject,
                               people[s.person_id].experience_years, s.overlap, s.wanted, s.free) for s in ranked]


async def choose(session: AsyncSession, actor: Actor, mentor_id: int, now: datetime, i18n: I18n) -> int:
    """The mentee asks this mentor: a pair proposed with the mentee's consent given. Returns its id."""
    org, offered = await choosable(session, actor)
    if mentor_id not in {p.person_id for p in offered}:
        raise InvalidInput("pairs.mentor_full")
    m = Mentorship(organization_id=org.id, form=MentoringForm.TEACHER_TEACHER, kind=MentoringKind.TRADITIONAL,
                   status=MentorshipStatus.PROPOSED, created_by_id=actor.person_id, created_at=now)
    session.add(m)
    await session.flush()
    session.add_all([Participant(mentorship_id=m.id, person_id=mentor_id, role=Role.MENTOR, invited_at=now),
                     Participant(mentorship_id=m.id, person_id=actor.person_id, role=Role.MENTEE, invited_at=now,
                                 confirmed_at=now)])
    await session.flush()
    m = await load_mentorship(session, m.id)
    mentor = next(p for p in m.participants if p.role == Role.MENTOR)
    await tell(session, mentor.person, "mentors.asked", now, i18n,
               buttons=agree_or_refuse(i18n, mentor.person.locale, Action.ANSWER_MENTORSHIP, mentorship=m.id),
               **describe(m, i18n, mentor.person.locale))
    for curator in await curators_of(session, org.id):
        await tell(session, curator, "mentors.chosen_notice", now, i18n, **describe(m, i18n, curator.locale))
    await session.commit()
    return m.id

