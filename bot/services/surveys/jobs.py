"""What the scheduler runs for surveys: reminders, closing at the deadline, answers lost in a restart."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services import survey_mix
from bot.services.dates import local_time
from bot.services.notify import Action, Button, tell
from bot.services.people import curators_of
from bot.services.surveys.build import close_survey, invitation_buttons
from bot.services.surveys.queries import in_mix
from bot.services.surveys.rules import answer_counts, survey_title, zone_of_survey_org
from db.engine import checkpoint
from db.models import (
    Person,
    Survey,
    SurveyMixEntry,
    SurveyParticipant,
    SurveyStatus,
)


async def recover_lost_answers(session: AsyncSession, now: datetime, i18n: I18n) -> tuple[int, int]:
    """Entries sealed with another key (the bot restarted before their batch was written) cannot be read:
    they are deleted, and their authors are asked to answer again while the survey is open. In the
    caller's transaction (the survey scan, `send_due`); returns (how many were deleted, how many told)."""
    key = survey_mix.current()
    lost = (await session.execute(select(SurveyMixEntry.id, SurveyMixEntry.survey_id, SurveyMixEntry.key_id,
                                         Person).join(Person, Person.id == SurveyMixEntry.person_id).where(
        SurveyMixEntry.key_id != key.id))).all()
    if not lost:
        return 0, 0
    await session.execute(delete(SurveyMixEntry).where(SurveyMixEntry.id.in_([row.id for row in lost])))
    surveys = {s.id: s for s in (await session.scalars(select(Survey).where(
        Survey.id.in_({row.survey_id for row in lost})))).all()}
    told = 0
    for row in lost:
        survey, person = surveys.get(row.survey_id), row.Person
        if survey is None or survey.status != SurveyStatus.OPEN or survey.deadline <= now:
            continue
        await tell(session, person, "survey.answer_lost", now, i18n,
                    buttons=invitation_buttons(i18n, person.locale, survey.id),
                    dedup_key=f"survey:{survey.id}:lost:{row.key_id}:{person.id}",
                    title=survey_title(survey, i18n, person.locale))
        told += 1
    return len(lost), told


async def send_due(session: AsyncSession, now: datetime, i18n: I18n) -> int:
    """One reminder to those who have not answered; at the deadline the survey closes and its
    curators are told. Returns how many notifications were queued."""

    deleted, queued = await recover_lost_answers(session, now, i18n)
    erased = deleted > 0  # sealed entries deleted, or (below) a closing batch: the WAL is checkpointed after
    for survey in (await session.scalars(select(Survey).where(
            Survey.status == SurveyStatus.OPEN, Survey.remind_at <= now, Survey.reminded_at.is_(None),
            Survey.deadline > now))).all():
        zone = await zone_of_survey_org(session, survey.organization_id)
        late = (await session.scalars(select(Person).join(
            SurveyParticipant, SurveyParticipant.person_id == Person.id).where(
            SurveyParticipant.survey_id == survey.id, SurveyParticipant.answered.is_(False),
            ~in_mix(SurveyParticipant.person_id), Person.erased_at.is_(None)))).all()
        for person in late:
            await tell(session, person, "survey.reminder", now, i18n,
                        buttons=invitation_buttons(i18n, person.locale, survey.id),
                        dedup_key=f"survey:{survey.id}:remind:{person.id}",
                        title=survey_title(survey, i18n, person.locale), deadline=local_time(survey.deadline, zone))
            queued += 1
        survey.reminded_at = now
    for survey in (await session.scalars(select(Survey).where(
            Survey.status == SurveyStatus.OPEN, Survey.deadline <= now).with_for_update())).all():
        queued += await close_survey(session, survey, now, i18n)
        erased = True
        invited, answered = await answer_counts(session, survey.id)
        for curator in await curators_of(session, survey.organization_id):
            results = [[Button(i18n.get(curator.locale).plain("btn.survey_results"), Action.SURVEY_RESULTS,
                               {"survey": survey.id})]]
            await tell(session, curator, "survey.closed_notice", now, i18n, buttons=results,
                        dedup_key=f"survey:{survey.id}:closed:{curator.id}",
                        title=survey_title(survey, i18n, curator.locale), answered=answered, invited=invited)
            queued += 1
    await session.commit()
    if erased:
        await checkpoint(session)
    return queued
