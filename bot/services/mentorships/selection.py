"""Selecting and training mentors (seed 000 §4.1, 003 §4): where the organisation selects its mentors (the
default), a mentor joins as a candidate, and the curator admits them before /pair offers them. The
curator finds the candidates waiting in /summary's attention list and on the registry's card. The
curator records the trainings a mentor took (an orientation session, courses, seminars, speed sessions);
they are shown on the mentor's card."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.errors import InvalidInput, NotFound
from bot.services.mentorships import queries
from bot.services.mentorships.rules import check_curator
from bot.services.notify import tell
from db.models import MentorTraining, Organization, Role, TrainingKind


@dataclass(frozen=True)
class MentorStanding:
    selection: bool  # the organisation admits its mentors
    admitted_at: datetime | None
    trainings: list[tuple[TrainingKind, date]]

    @property
    def waiting(self) -> bool:
        return self.selection and self.admitted_at is None


async def mentor_standing(session: AsyncSession, actor: Actor, org_id: int, person_id: int) -> MentorStanding | None:
    """For the mentor's card, to the curator and the head; None when the person is not a mentor here."""
    membership = await queries.mentor_membership(session, person_id, org_id)
    if membership is None or not actor.has_role(org_id, Role.CURATOR, Role.HEAD):
        return None
    org = await session.get(Organization, org_id)
    trainings = [(t.kind, t.held_on) for t in await queries.trainings_of(session, person_id, org_id)]
    return MentorStanding(bool(org and org.mentor_selection), membership.approved_at, trainings)


async def admit(session: AsyncSession, actor: Actor, org_id: int, person_id: int, now: datetime, i18n: I18n) -> None:
    """The curator admits a mentor candidate; they are told, and /pair offers them from now on."""
    await check_curator(actor, org_id)
    membership = await queries.mentor_membership(session, person_id, org_id)
    if membership is None:
        raise NotFound()
    if membership.approved_at is not None:
        raise InvalidInput("error.stale_button")
    membership.approved_at = now
    await tell(session, membership.person, "selection.admitted_notice", now, i18n)
    await session.commit()


async def record_training(session: AsyncSession, actor: Actor, org_id: int, person_id: int, kind: TrainingKind,
                          held_on: date, now: datetime) -> None:
    await check_curator(actor, org_id)
    if await queries.mentor_membership(session, person_id, org_id) is None:
        raise NotFound()
    if held_on > now.date() or (now.date() - held_on).days > 366 * 5:
        raise InvalidInput("selection.bad_date")
    session.add(MentorTraining(person_id=person_id, organization_id=org_id, kind=kind, held_on=held_on,
                               recorded_by_id=actor.person_id, created_at=now))
    await session.commit()
