"""Results: per question, shown only where the minimum of answers is reached; named answers for\nsurveys that are not anonymous."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.surveys import queries
from bot.services.surveys.rules import (
    READERS,
    RNG,
    SCALE,
    QuestionResult,
    SurveyResults,
    is_pooled,
    minimum_of,
    question_view,
    survey_or_404,
    survey_title,
)
from db.models import (
    Organization,
    QuestionKind,
    SurveyStatus,
)


async def results(session: AsyncSession, actor: Actor, survey_id: int, i18n: I18n) -> SurveyResults:
    survey = await survey_or_404(session, survey_id)
    if not actor.has_role(survey.organization_id, *READERS):
        raise AccessDenied("survey.only_curators")
    org = await session.get(Organization, survey.organization_id)
    minimum = minimum_of(org)
    if survey.status != SurveyStatus.CLOSED and not (survey.status == SurveyStatus.OPEN and is_pooled(survey)):
        raise InvalidInput("survey.results_after_close")
    answers = await queries.stored_answers(session, survey.id)
    invited, answered = await queries.answer_counts(session, survey.id)
    if len(answers) < minimum:
        raise InvalidInput("survey.too_few", min=minimum, got=answered)
    t = i18n.get(actor.locale)
    questions = await queries.questions_of(session, survey.id)
    out = []
    for row in questions:
        q = question_view(row, survey.template, i18n, actor.locale)
        values = [a[str(q.id)] for a in answers if str(q.id) in a]
        result = QuestionResult(q.id, q.position, q.kind, q.text, len(values), options=q.options)
        if len(values) < minimum:  # the minimum holds per question: an optional one answered by few shows nothing
            result.hidden = True
        elif q.kind == QuestionKind.SCALE:
            result.mean = sum(values) / len(values) if values else None
            result.distribution = [(str(n), values.count(n)) for n in SCALE]
        elif q.kind == QuestionKind.YES_NO:
            result.distribution = [(t.plain("btn.yes"), values.count(True)), (t.plain("btn.no"), values.count(False))]
        elif q.kind == QuestionKind.SINGLE:
            result.distribution = [(o, values.count(i)) for i, o in enumerate(q.options)]
        elif q.kind == QuestionKind.MULTI:
            result.distribution = [(o, sum(i in v for v in values)) for i, o in enumerate(q.options)]
        else:
            result.texts = list(values)
            RNG.shuffle(result.texts)
        out.append(result)
    return SurveyResults(survey.id, survey_title(survey, i18n, actor.locale), survey.anonymous, survey.deadline,
                         org.timezone if org else "UTC", invited, answered, out, minimum, len(answers))


async def named_answers(session: AsyncSession, actor: Actor, survey_id: int,
                        i18n: I18n) -> list[tuple[str, dict[str, Any]]]:
    """A named (not anonymous) survey's answers with the respondents' names, for its XLSX;
    only once its results may be shown."""
    survey = await survey_or_404(session, survey_id)
    await results(session, actor, survey_id, i18n)  # the same checks: reader, closed, enough answers
    if survey.anonymous:
        raise AccessDenied()
    rows = await queries.named_responses(session, survey.id)
    return sorted(((name or "—", json.loads(text)) for text, name in rows), key=lambda row: row[0])
