"""The statements of surveys, built once at import."""
from __future__ import annotations

import weakref
from collections import OrderedDict
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, exists, select

from db.models import (
    Organization,
    Survey,
    SurveyMixEntry,
    SurveyParticipant,
    SurveyQuestion,
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
