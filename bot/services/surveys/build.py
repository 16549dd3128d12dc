"""Building and launching a survey: drafts, templates, the audience, invitations, closing (seed 001)."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.dates import local_time
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.notify import Action, Button, Buttons, tell
from bot.services.people import pair_title
from bot.services.surveys import queries
from bot.services.surveys.answer import write_batch
from bot.services.surveys.rules import (
    DEADLINE_DAYS_MAX,
    MANAGERS,
    POOL_PREFIX,
    QUESTIONS_MAX,
    READERS,
    TEMPLATE_KEYS,
    TEMPLATES,
    QuestionDraft,
    SurveyCard,
    audience_people,
    check_audience,
    clean_question,
    clean_title,
    deadline_for,
    managed_survey,
    minimum_for,
    minimum_of,
    parse_options,
    remind_time,
    school_year,
    survey_or_404,
    survey_title,
    zone_of_survey_org,
)
from db.engine import checkpoint
from db.models import (
    Mentorship,
    Organization,
    Person,
    QuestionKind,
    Survey,
    SurveyParticipant,
    SurveyQuestion,
    SurveyStatus,
)


async def create(session: AsyncSession, actor: Actor, *, audience: str, deadline: datetime, now: datetime,
                 i18n: I18n, template: str | None = None, title: str | None = None,
                 questions: list[QuestionDraft] | None = None) -> int:
    """A draft: a template's questionnaire or the curator's own questions."""
    org_id = actor.first_org_where(*MANAGERS, denied="survey.only_curators")
    await check_audience(session, org_id, audience)
    if deadline <= now or deadline > now + timedelta(days=DEADLINE_DAYS_MAX + 1):
        raise InvalidInput("survey.bad_deadline", max=DEADLINE_DAYS_MAX)
    survey = Survey(organization_id=org_id, audience=audience, anonymous=True, status=SurveyStatus.DRAFT,
                    deadline=deadline, created_by_id=actor.person_id, created_at=now)
    if template is not None:
        if template not in TEMPLATES:
            raise InvalidInput()
        survey.template = template
        survey.title = i18n.get(None).plain(f"survey.template.{template}")
        rows = [SurveyQuestion(position=n, kind=kind, key=key, required=required,
                               text=i18n.get(None).plain(f"survey_q.{template}.{key}"))
                for n, (key, kind, required) in enumerate(TEMPLATE_KEYS)]
    else:
        if not questions:
            raise InvalidInput("survey.no_questions")
        if len(questions) > QUESTIONS_MAX:
            raise InvalidInput("survey.too_many_questions", max=QUESTIONS_MAX)
        survey.title = clean_title(title or "")
        rows = []
        for n, q in enumerate(questions):
            if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
                parse_options("\n".join(q.options))
            elif q.options:
                raise InvalidInput()
            rows.append(SurveyQuestion(position=n, kind=q.kind, text=clean_question(q.text), required=q.required,
                                       options=json.dumps(q.options, ensure_ascii=False) if q.options else None))
    session.add(survey)
    await session.flush()
    for row in rows:
        row.survey_id = survey.id
        session.add(row)
    await session.commit()
    return survey.id


def invitation_buttons(i18n: I18n, locale: str | None, survey_id: int) -> Buttons:
    return [[Button(i18n.get(locale).plain("btn.survey_start"), Action.START_SURVEY, {"survey": survey_id})]]


async def _open(session: AsyncSession, survey: Survey, now: datetime, i18n: I18n) -> int:
    """Invite the audience (participation rows and invitations through the outbox)."""
    people = await audience_people(session, survey)
    survey.status = SurveyStatus.OPEN
    survey.launched_at = now
    survey.remind_at = remind_time(now, survey.deadline)
    zone = await zone_of_survey_org(session, survey.organization_id)
    await _invite(session, survey, people, now, i18n, zone)
    return len(people)


async def _invite(session: AsyncSession, survey: Survey, people: list[Person], now: datetime, i18n: I18n,
                  zone: str) -> None:

    for person in people:
        session.add(SurveyParticipant(survey_id=survey.id, person_id=person.id, answered=False))
        t = i18n.get(person.locale)
        await tell(session, person, "survey.invitation", now, i18n,
                    buttons=invitation_buttons(i18n, person.locale, survey.id),
                    dedup_key=f"survey:{survey.id}:invite:{person.id}", title=survey_title(survey, i18n, person.locale),
                    deadline=local_time(survey.deadline, zone),
                    anonymity=t.plain("survey.anonymous_note" if survey.anonymous else "survey.named_note"))


async def launch(session: AsyncSession, actor: Actor, survey_id: int, now: datetime, i18n: I18n) -> int:
    survey = await managed_survey(session, actor, survey_id)
    if survey.status != SurveyStatus.DRAFT:
        raise InvalidInput("error.stale_button")
    if survey.deadline <= now + timedelta(hours=1):
        raise InvalidInput("survey.deadline_passed")
    invited = await _open(session, survey, now, i18n)
    if invited == 0:
        await session.rollback()
        raise InvalidInput("survey.nobody")
    minimum = await minimum_for(session, survey.organization_id)
    if survey.anonymous and invited < minimum:  # its answers could never be shown, nor kept apart from names
        await session.rollback()
        raise InvalidInput("survey.audience_too_small", got=invited, min=minimum)
    await session.commit()
    return invited


async def launch_on_completion(session: AsyncSession, m: Mentorship, now: datetime, i18n: I18n) -> None:
    """A program completed: its mentees are invited to the organisation's pooled mentee questionnaire of
    this school year, its mentor to the mentors' one (opened by the first completion of the year, open to
    31 August). A questionnaire of one pair would have one or two respondents: no anonymity at all.
    Runs inside the completing transaction (the caller commits)."""
    zone = await zone_of_survey_org(session, m.organization_id)
    year = school_year(now.astimezone(ZoneInfo(zone)).date())
    audience = f"{POOL_PREFIX}{year}"
    for template in TEMPLATES:
        survey = await queries.open_pool_survey(session, m.organization_id, template, audience)
        if survey is None:
            survey = Survey(organization_id=m.organization_id, template=template, audience=audience,
                            title=i18n.get(None).plain(f"survey.template.{template}"), anonymous=True,
                            status=SurveyStatus.OPEN, deadline=deadline_for(date(year + 1, 8, 31), zone),
                            created_at=now, launched_at=now)
            session.add(survey)
            await session.flush()
            for n, (key, kind, required) in enumerate(TEMPLATE_KEYS):
                session.add(SurveyQuestion(survey_id=survey.id, position=n, kind=kind, key=key, required=required,
                                           text=i18n.get(None).plain(f"survey_q.{template}.{key}")))
        program = Survey(organization_id=m.organization_id, template=template, audience=f"program.{m.id}")
        invited = await queries.invited_ids(session, survey.id)
        people = [p for p in await audience_people(session, program) if p.id not in invited]
        await _invite(session, survey, people, now, i18n, zone)


async def set_anonymous(session: AsyncSession, actor: Actor, survey_id: int, anonymous: bool) -> None:
    """Anonymity is fixed from the first answer on: respondents were told what it is."""
    survey = await managed_survey(session, actor, survey_id)
    _, answers = await queries.answer_counts(session, survey.id)
    if answers or survey.status == SurveyStatus.CLOSED:
        raise InvalidInput("survey.anonymity_locked")
    if survey.status == SurveyStatus.OPEN:
        raise InvalidInput("survey.anonymity_after_launch")  # the invitations already said which it is
    survey.anonymous = anonymous
    await session.commit()


async def delete_draft(session: AsyncSession, actor: Actor, survey_id: int) -> None:
    survey = await managed_survey(session, actor, survey_id)
    if survey.status != SurveyStatus.DRAFT:
        raise InvalidInput("error.stale_button")
    await queries.delete_questions(session, survey.id)
    await session.delete(survey)
    await session.commit()


async def close(session: AsyncSession, actor: Actor, survey_id: int, now: datetime, i18n: I18n) -> None:
    survey = await managed_survey(session, actor, survey_id)
    await session.refresh(survey, with_for_update=True)  # an answer being written finishes first
    if survey.status != SurveyStatus.OPEN:
        raise InvalidInput("error.stale_button")
    await close_survey(session, survey, now, i18n)
    await session.commit()
    await checkpoint(session)


async def close_survey(session: AsyncSession, survey: Survey, now: datetime, i18n: I18n) -> int:
    """Closed for good: the mix's last batch is written (or, too small to be anonymous, not written and
    its authors told). With enough answers, the mean of all its 1–10 answers is kept for the summaries
    (an aggregate only, like everything shown of a survey). Returns the notifications queued."""
    survey.status, survey.closed_at = SurveyStatus.CLOSED, now
    _, dropped = await write_batch(session, survey, closing=True)
    minimum = await minimum_for(session, survey.organization_id)
    for person in await queries.people_by_ids(session, dropped):
        await tell(session, person, "survey.answer_not_kept", now, i18n, min=minimum,
                    dedup_key=f"survey:{survey.id}:not-kept:{person.id}", title=survey_title(survey, i18n, person.locale))
    scales = await queries.scale_question_ids(session, survey.id)
    answers = await queries.stored_answers(session, survey.id)
    values = [v for a in answers for k, v in a.items() if k in scales]
    if len(answers) >= minimum and values:
        survey.mean_score = sum(values) / len(values)
    return len(dropped)


async def card(session: AsyncSession, actor: Actor, survey_id: int, i18n: I18n | None = None) -> SurveyCard:
    survey = await survey_or_404(session, survey_id)
    if not actor.has_role(survey.organization_id, *READERS):
        raise AccessDenied("survey.only_curators")
    org = await session.get(Organization, survey.organization_id)
    invited, answered = await queries.answer_counts(session, survey.id)
    questions = await queries.question_count(session, survey.id)
    label = None
    if survey.audience.startswith("program."):
        m = await queries.pair_with_people(session, int(survey.audience[8:]))
        if m is not None:
            label = pair_title(m)
    return SurveyCard(survey.id, survey.organization_id,
                      survey_title(survey, i18n, actor.locale) if i18n else survey.title, survey.template,
                      survey.audience, label, survey.anonymous, survey.status, survey.deadline,
                      org.timezone if org else "UTC", questions, invited, answered,
                      minimum_of(org), actor.has_role(survey.organization_id, *MANAGERS))


async def programs_for_audience(session: AsyncSession, actor: Actor, limit: int = 40) -> list[tuple[int, str]]:
    """The organisation's active pairs and groups, newest first, to pick a program's participants."""

    org_id = actor.first_org_where(*MANAGERS, denied="survey.only_curators")
    return [(m.id, pair_title(m)) for m in await queries.active_pairs(session, org_id, limit)]


async def managed_list(session: AsyncSession, actor: Actor, limit: int = 15) -> list[tuple[int, str, SurveyStatus]]:
    orgs = [org_id for org_id, _ in actor.orgs_where(*READERS)]
    if not orgs:
        return []
    return [(row.id, row.title, row.status) for row in await queries.latest_surveys(session, orgs, limit)]
