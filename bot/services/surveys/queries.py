"""The statements of surveys; those every answer runs are built once at import."""
from __future__ import annotations

import json
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, case, delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from db.models import (
    Membership,
    Mentorship,
    MentorshipStatus,
    Organization,
    Participant,
    Person,
    QuestionKind,
    Role,
    Survey,
    SurveyMixEntry,
    SurveyParticipant,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)


# the statements every answer and every /surveys runs, built once (building them cost more than running)
def in_mix(person_id: Any) -> Any:
    """The person's answer waits in the mix: answered, as far as they are concerned."""
    return exists().where(SurveyMixEntry.survey_id == Survey.id, SurveyMixEntry.person_id == person_id)


OPEN_FOR = select(Survey.id, Survey.title, Survey.template, Survey.deadline, Organization.timezone).join(
    SurveyParticipant, SurveyParticipant.survey_id == Survey.id).join(
    Organization, Organization.id == Survey.organization_id).where(
    SurveyParticipant.person_id == bindparam("person_id", type_=SurveyParticipant.person_id.type),
    SurveyParticipant.answered.is_(False), ~in_mix(SurveyParticipant.person_id), Survey.status == SurveyStatus.OPEN,
    Survey.deadline > bindparam("now", type_=Survey.deadline.type)).order_by(Survey.deadline)


INVITATION = (select(Survey.id, Survey.title, Survey.template, Survey.anonymous, Survey.status, Survey.deadline,
                     Survey.launched_at, SurveyParticipant.answered, Organization.timezone,
                     in_mix(SurveyParticipant.person_id).label("pending"))
              .join(Organization, Organization.id == Survey.organization_id)
              .outerjoin(SurveyParticipant, and_(
                  SurveyParticipant.survey_id == Survey.id,
                  SurveyParticipant.person_id == bindparam("person_id", type_=SurveyParticipant.person_id.type)))
              .where(Survey.id == bindparam("survey_id", type_=Survey.id.type)))


# The questions of open surveys, per database: they never change once a survey is launched (only a
# draft's are written or deleted), and every answer a respondent gives needs them.
QUESTIONS: weakref.WeakKeyDictionary[Any, OrderedDict[tuple[int, datetime | None], list[Row]]] = (
    weakref.WeakKeyDictionary())


QUESTION_COLUMNS = select(SurveyQuestion.id, SurveyQuestion.position, SurveyQuestion.kind, SurveyQuestion.key,
                          SurveyQuestion.text, SurveyQuestion.options, SurveyQuestion.required).where(
    SurveyQuestion.survey_id == bindparam("survey_id", type_=SurveyQuestion.survey_id.type)).order_by(
    SurveyQuestion.position)


# ---------------------------------------------------------------- surveys and their questions
async def open_pool_survey(session: AsyncSession, org_id: int, template: str, audience: str) -> Survey | None:
    """The organisation's open completion questionnaire of a school year, locked."""
    return await session.scalar(select(Survey).where(
        Survey.organization_id == org_id, Survey.template == template, Survey.audience == audience,
        Survey.status == SurveyStatus.OPEN).with_for_update())


async def surveys_by_id(session: AsyncSession, ids: Iterable[int]) -> dict[int, Survey]:
    return {s.id: s for s in (await session.scalars(select(Survey).where(Survey.id.in_(set(ids))))).all()}


async def due_reminders(session: AsyncSession, now: datetime) -> Sequence[Survey]:
    """Open surveys whose one reminder is due."""
    return (await session.scalars(select(Survey).where(
        Survey.status == SurveyStatus.OPEN, Survey.remind_at <= now, Survey.reminded_at.is_(None),
        Survey.deadline > now))).all()


async def past_deadline(session: AsyncSession, now: datetime) -> Sequence[Survey]:
    """Open surveys past their deadline, locked: an answer being written finishes first."""
    return (await session.scalars(select(Survey).where(
        Survey.status == SurveyStatus.OPEN, Survey.deadline <= now).with_for_update())).all()


async def locked_survey(session: AsyncSession, survey_id: int) -> Survey | None:
    return await session.scalar(select(Survey).where(Survey.id == survey_id).with_for_update())


async def latest_surveys(session: AsyncSession, org_ids: Sequence[int], limit: int) -> Sequence[Row]:
    return (await session.execute(select(Survey.id, Survey.title, Survey.status, Survey.template).where(
        Survey.organization_id.in_(org_ids)).order_by(Survey.id.desc()).limit(limit))).all()


async def question_count(session: AsyncSession, survey_id: int) -> int:
    return await session.scalar(select(func.count()).select_from(SurveyQuestion).where(
        SurveyQuestion.survey_id == survey_id)) or 0


async def questions_of(session: AsyncSession, survey_id: int) -> Sequence[SurveyQuestion]:
    return (await session.scalars(select(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id)
                                  .order_by(SurveyQuestion.position))).all()


async def scale_question_ids(session: AsyncSession, survey_id: int) -> set[str]:
    """The 1–10 questions' ids, as the keys of a stored answer."""
    return {str(q) for q in (await session.scalars(select(SurveyQuestion.id).where(
        SurveyQuestion.survey_id == survey_id, SurveyQuestion.kind == QuestionKind.SCALE))).all()}


async def delete_questions(session: AsyncSession, survey_id: int) -> None:
    await session.execute(delete(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id))


# ------------------------------------------------------------------------- the audience
async def pair_with_people(session: AsyncSession, mentorship_id: int) -> Mentorship | None:
    return await session.scalar(select(Mentorship).where(Mentorship.id == mentorship_id).options(
        selectinload(Mentorship.participants).selectinload(Participant.person)))


async def active_pairs(session: AsyncSession, org_id: int, limit: int) -> Sequence[Mentorship]:
    """The organisation's active pairs and groups with their people, newest first."""
    return (await session.scalars(select(Mentorship).where(
        Mentorship.organization_id == org_id, Mentorship.status == MentorshipStatus.ACTIVE)
        .options(selectinload(Mentorship.participants).selectinload(Participant.person))
        .order_by(Mentorship.id.desc()).limit(limit))).all()


async def members(session: AsyncSession, org_id: int, roles: Sequence[Role]) -> list[Person]:
    """The organisation's reachable people in these roles, once each."""
    return list((await session.scalars(select(Person).join(Membership, Membership.person_id == Person.id).where(
        Membership.organization_id == org_id, Membership.role.in_(roles),
        Membership.ended_at.is_(None), Person.erased_at.is_(None), Person.telegram_id.is_not(None))
        .distinct().order_by(Person.id))).all())


async def people_by_ids(session: AsyncSession, ids: Iterable[int]) -> Sequence[Person]:
    return (await session.scalars(select(Person).where(Person.id.in_(list(ids))))).all()


async def invited_ids(session: AsyncSession, survey_id: int) -> set[int]:
    return set((await session.scalars(select(SurveyParticipant.person_id).where(
        SurveyParticipant.survey_id == survey_id))).all())


async def not_answered(session: AsyncSession, survey_id: int) -> Sequence[Person]:
    """The invited who have not answered (nor wait in the mix), erased people left out."""
    return (await session.scalars(select(Person).join(
        SurveyParticipant, SurveyParticipant.person_id == Person.id).where(
        SurveyParticipant.survey_id == survey_id, SurveyParticipant.answered.is_(False),
        ~in_mix(SurveyParticipant.person_id), Person.erased_at.is_(None)))).all()


async def answer_counts(session: AsyncSession, survey_id: int) -> tuple[int, int]:
    """(invited, answered: marked, or waiting in the mix), counted in SQL."""
    row = (await session.execute(select(func.count(), func.coalesce(func.sum(
        case((SurveyParticipant.answered.is_(True), 1), else_=0)), 0),
        select(func.count()).select_from(SurveyMixEntry).where(SurveyMixEntry.survey_id == survey_id)
        .scalar_subquery()).where(SurveyParticipant.survey_id == survey_id))).one()
    return int(row[0]), int(row[1]) + int(row[2] or 0)


async def mark_answered(session: AsyncSession, survey_id: int, person_ids: Sequence[int], *,
                        only_unanswered: bool = False) -> int:
    """Mark these participants answered; returns how many rows changed."""
    condition = [SurveyParticipant.survey_id == survey_id, SurveyParticipant.person_id.in_(person_ids)]
    if only_unanswered:
        condition.append(SurveyParticipant.answered.is_(False))
    result = await session.execute(update(SurveyParticipant).where(*condition).values(answered=True))
    return result.rowcount


# ------------------------------------------------------------------ the mix and the answers
async def sealed_entries(session: AsyncSession, survey_id: int, key_id: str) -> Sequence[Row]:
    """(id, person, sealed answers) of the survey's entries sealed with this key."""
    return (await session.execute(select(SurveyMixEntry.id, SurveyMixEntry.person_id, SurveyMixEntry.sealed).where(
        SurveyMixEntry.survey_id == survey_id, SurveyMixEntry.key_id == key_id))).all()


async def entries_not_sealed_with(session: AsyncSession, key_id: str) -> Sequence[Row]:
    """Entries sealed with another key, with their author: (id, survey, key, Person)."""
    return (await session.execute(select(SurveyMixEntry.id, SurveyMixEntry.survey_id, SurveyMixEntry.key_id,
                                         Person).join(Person, Person.id == SurveyMixEntry.person_id).where(
        SurveyMixEntry.key_id != key_id))).all()


async def delete_entries(session: AsyncSession, ids: Sequence[str]) -> None:
    await session.execute(delete(SurveyMixEntry).where(SurveyMixEntry.id.in_(ids)))


async def stored_answers(session: AsyncSession, survey_id: int) -> list[dict[str, Any]]:
    """Every written answer of the survey, as stored (question id → value)."""
    return [json.loads(text) for text in (await session.scalars(select(SurveyResponse.answers).where(
        SurveyResponse.survey_id == survey_id))).all()]


async def named_responses(session: AsyncSession, survey_id: int) -> Sequence[Row]:
    """(answers, respondent's name or None once erased) of a named survey."""
    return (await session.execute(select(SurveyResponse.answers, Person.full_name).outerjoin(
        Person, Person.id == SurveyResponse.respondent_id).where(SurveyResponse.survey_id == survey_id))).all()


async def forget_respondent(session: AsyncSession, person_id: int) -> None:
    """A named survey's answers stop naming the person; their entries in the mix go."""
    await session.execute(update(SurveyResponse).where(SurveyResponse.respondent_id == person_id)
                          .values(respondent_id=None))
    await session.execute(delete(SurveyMixEntry).where(SurveyMixEntry.person_id == person_id))
