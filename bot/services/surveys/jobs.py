"""What the scheduler runs for surveys: reminders, closing at the deadline, answers lost in a restart."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services import survey_mix
from bot.services.dates import local_time
from bot.services.notify import Action, Button, tell
from bot.services.people import curators_of
from bot.services.surveys import queries
from bot.services.surveys.build import close_survey, invitation_buttons
from bot.services.surveys.rules import survey_title, zone_of_survey_org
from db.engine import checkpoint
from db.models import (
    SurveyStatus,
)


async def recover_lost_answers(session: AsyncSession, now: datetime, i18n: I18n) -> tuple[int, int]:
    """Entries sealed with another key (the bot restarted before their batch was written) cannot be read:
    they are deleted, and their authors are asked to answer again while the survey is open. In the
    caller's transaction (the survey scan, `send_due`); returns (how many were deleted, how many told)."""
    key = survey_mix.current()
    lost = await queries.entries_not_sealed_with(session, key.id)
    if not lost:
        return 0, 0
    await queries.delete_entries(session, [row.id for row in lost])
    surveys = await queries.surveys_by_id(session, (row.survey_id for row in lost))
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
    for survey in await queries.due_reminders(session, now):
        zone = await zone_of_survey_org(session, survey.organization_id)
        for person in await queries.not_answered(session, survey.id):
            await tell(session, person, "survey.reminder", now, i18n,
                        buttons=invitation_buttons(i18n, person.locale, survey.id),
                        dedup_key=f"survey:{survey.id}:remind:{person.id}",
                        title=survey_title(survey, i18n, person.locale), deadline=local_time(survey.deadline, zone))
            queued += 1
        survey.reminded_at = now
    for survey in await queries.past_deadline(session, now):
        queued += await close_survey(session, survey, now, i18n)
        erased = True
        invited, answered = await queries.answer_counts(session, survey.id)
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
