"""Answering: the questionnaire a person sees, the checks of each answer, and the submission\n(anonymous answers go through the mix: survey_mix.py)."""
from __future__ import annotations

import json
import secrets
from collections import OrderedDict
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services import survey_mix
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.surveys import queries
from bot.services.surveys.queries import INVITATION, OPEN_FOR, QUESTION_COLUMNS, QUESTIONS
from bot.services.surveys.rules import (
    SCALE,
    Questionnaire,
    QuestionView,
    clean_answer,
    is_pooled,
    minimum_for,
    question_view,
    survey_title,
)
from db.engine import checkpoint
from db.models import (
    QuestionKind,
    Survey,
    SurveyMixEntry,
    SurveyResponse,
    SurveyStatus,
)
from db.repositories import plain_rows


async def open_for(session: AsyncSession, actor: Actor, now: datetime,
                   i18n: I18n) -> list[tuple[int, str, datetime, str]]:
    """Open surveys the actor was invited to and has not answered: (id, title, deadline, zone)."""
    if actor.person_id is None:
        return []
    rows = await plain_rows(session, OPEN_FOR, {"person_id": actor.person_id, "now": now})
    return [(s.id, survey_title(s, i18n, actor.locale), s.deadline, s.timezone) for s in rows]


QUESTIONS_CACHED = 256  # surveys, per database


async def _open_questions(session: AsyncSession, survey: Row) -> list[Row]:
    """A survey's questions (plain rows, what `question_view` reads), from memory for an open survey seen before."""
    cache = QUESTIONS.setdefault(session.get_bind(), OrderedDict())
    key = (survey.id, survey.launched_at)
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    questions = list(await plain_rows(session, QUESTION_COLUMNS, {"survey_id": survey.id}))
    if survey.status == SurveyStatus.OPEN:
        cache[key] = questions
        while len(cache) > QUESTIONS_CACHED:
            cache.popitem(last=False)
    return questions


async def questionnaire(session: AsyncSession, actor: Actor, survey_id: int, now: datetime,
                        i18n: I18n | None = None) -> Questionnaire:
    """The questions for someone invited who has not answered yet, while the survey is open.
    Asked on every answer a respondent gives, so one query of plain rows: the survey with the person's
    invitation and the organisation's time zone (the questions come from memory after its first answer)."""
    found = await plain_rows(session, INVITATION, {"person_id": actor.person_id or 0, "survey_id": survey_id})
    if not found:
        raise NotFound()
    survey = found[0]
    if survey.answered is None:
        raise AccessDenied("survey.not_invited")
    if survey.answered or survey.pending:
        raise InvalidInput("survey.already")
    if survey.status != SurveyStatus.OPEN or survey.deadline <= now:
        raise InvalidInput("survey.closed")
    questions = await _open_questions(session, survey)
    return Questionnaire(survey.id, survey_title(survey, i18n, actor.locale) if i18n else survey.title,
                         survey.anonymous, survey.deadline, survey.timezone,
                         [question_view(q, survey.template, i18n, actor.locale) for q in questions])


def check_answer(q: QuestionView, value: Any) -> Any:
    """The stored form of one answer; InvalidInput when it does not fit the question."""
    if q.kind == QuestionKind.SCALE and isinstance(value, int) and not isinstance(value, bool) and value in SCALE:
        return value
    if q.kind == QuestionKind.YES_NO and isinstance(value, bool):
        return value
    if q.kind == QuestionKind.SINGLE and isinstance(value, int) and 0 <= value < len(q.options):
        return value
    if q.kind == QuestionKind.MULTI and isinstance(value, list) and value and all(
            isinstance(v, int) and 0 <= v < len(q.options) for v in value):
        return sorted(set(value))
    if q.kind == QuestionKind.TEXT and isinstance(value, str):
        return clean_answer(value)
    raise InvalidInput("survey.bad_answer")


async def submit(session: AsyncSession, actor: Actor, survey_id: int, answers: dict[int, Any], now: datetime) -> None:
    """One submission per person. A named survey's answers are written with the mark; an anonymous one's
    go into the mix (bot/services/survey_mix.py) and reach `survey_responses` in a batch of at least the
    minimum, never in a transaction of their own."""
    form = await questionnaire(session, actor, survey_id, now)
    by_id = {q.id: q for q in form.questions}
    if not set(answers) <= set(by_id):
        raise InvalidInput("survey.bad_answer")
    stored: dict[str, Any] = {}
    for q in form.questions:
        if q.id in answers and answers[q.id] is not None:
            stored[str(q.id)] = check_answer(q, answers[q.id])
        elif q.required:
            raise InvalidInput("survey.required_missing", number=q.position + 1)
    assert actor.person_id is not None
    if not form.anonymous:
        if await queries.mark_answered(session, survey_id, [actor.person_id], only_unanswered=True) != 1:
            await session.rollback()
            raise InvalidInput("survey.already")
        session.add(SurveyResponse(id=secrets.token_hex(16), survey_id=survey_id, respondent_id=actor.person_id,
                                   answers=json.dumps(stored, ensure_ascii=False, sort_keys=True)))
        await session.commit()
        return
    key = survey_mix.current()
    session.add(SurveyMixEntry(id=survey_mix.new_entry_id(), survey_id=survey_id, person_id=actor.person_id,
                               key_id=key.id, sealed=key.seal(stored, survey_id)))
    try:
        await session.flush()  # the unique (survey, person) turns a second try away
    except IntegrityError:
        await session.rollback()
        raise InvalidInput("survey.already") from None
    survey = await queries.locked_survey(session, survey_id)
    if survey is None or survey.status != SurveyStatus.OPEN:  # closed meanwhile
        await session.rollback()
        raise InvalidInput("survey.closed")
    written, _ = await write_batch(session, survey, closing=False)
    await session.commit()
    if written:
        await checkpoint(session)


async def _mix_entries(session: AsyncSession, survey_id: int) -> list[survey_mix.Entry]:
    """The survey's entries this process can open."""
    key = survey_mix.current()
    rows = await queries.sealed_entries(session, survey_id, key.id)
    return [survey_mix.Entry(row.id, row.person_id, key.open(row.sealed, survey_id)) for row in rows]


async def write_batch(session: AsyncSession, survey: Survey, *, closing: bool) -> tuple[list[int], list[int]]:
    """Move a batch from the mix to the responses, with its people's marks, in the caller's transaction
    (the survey's row is locked by the caller). Closing: everything left, or, when that is fewer than the
    minimum, nothing, and the entries are deleted all the same. Returns (whose answers were written, whose
    were not: closing with too few)."""
    entries = await _mix_entries(session, survey.id)
    minimum = await minimum_for(session, survey.organization_id)
    batch = survey_mix.choose_batch(entries, minimum, pooled=is_pooled(survey), closing=closing)
    gone = batch if not closing else entries
    if not gone:
        return [], []
    await queries.delete_entries(session, [e.id for e in gone])
    await queries.mark_answered(session, survey.id, [e.person_id for e in gone])
    for entry in survey_mix.shuffled(batch):
        session.add(SurveyResponse(id=secrets.token_hex(16), survey_id=survey.id, respondent_id=None,
                                   answers=json.dumps(entry.answers, ensure_ascii=False, sort_keys=True)))
    await session.flush()
    written = {e.id for e in batch}
    return [e.person_id for e in batch], [e.person_id for e in gone if e.id not in written]
