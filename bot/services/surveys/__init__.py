"""Anonymous questionnaires («анкетирование»): templates and the curator's own surveys, launched to an
audience with a deadline, answered one question at a time, results only in aggregate.

Anonymity is kept in the storage itself, against someone reading the database files at any moment:
- `survey_participants` says who was invited and whether they answered - with no time;
- `survey_responses` holds the answers with no person (named surveys excepted), no time, a random key;
- an answer reaches it only in a batch of at least the organisation's minimum, with those people's marks,
  from the sealed mix (bot/services/survey_mix.py): no transaction ties an answer to fewer people;
- results are shown only once the survey is closed (a pooled completion questionnaire: while open, in
  steps of the minimum), and of each question only with at least the minimum of answers (never below 3).
See docs/privacy.md.
"""
from __future__ import annotations

import json
import random
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, case, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.i18n import I18n
from bot.services import survey_mix
from bot.services.actor import Actor
from bot.services.dates import local_time
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.notify import Action, Button, Buttons, tell
from bot.services.numbers import is_whole
from bot.services.people import curators_of, current_mentees, current_mentor, pair_title
from bot.services.surveys.queries import INVITATION, OPEN_FOR, QUESTION_COLUMNS, QUESTIONS, in_mix
from db.engine import checkpoint
from db.models import (
    Membership,
    Mentorship,
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
from db.repositories import plain_rows

MIN_ANSWERS = 3  # the floor of the per-organisation setting


QUESTIONS_MAX = 15


OPTIONS_MIN, OPTIONS_MAX = 2, 10


OPTION_MAX_LEN = 100


QUESTION_MAX_LEN = 300


ANSWER_MAX_LEN = 1000


TITLE_MAX_LEN = 150


DEADLINE_DAYS_MAX = 90


SCALE = range(1, 11)


MANAGERS = (Role.CURATOR,)


READERS = (Role.CURATOR, Role.HEAD)


AUDIENCES = ("mentees", "mentors", "everyone")  # and "program.<mentorship id>", "completion.<school year>"


POOL_PREFIX = "completion."


_rng = random.SystemRandom()


# The shipped questionnaires: the ministry's satisfaction survey for mentees and for mentors.
# Texts are in the locales under survey_q.<template>.<key>; answers are kept by question.
TEMPLATE_KEYS: tuple[tuple[str, QuestionKind, bool], ...] = (
    ("effectiveness", QuestionKind.SCALE, True),
    ("comfort", QuestionKind.SCALE, True),
    ("individual_meetings", QuestionKind.SCALE, True),
    ("group_meetings", QuestionKind.SCALE, True),
    ("support", QuestionKind.SCALE, True),
    ("expectations", QuestionKind.SCALE, True),
    ("plan_clarity", QuestionKind.SCALE, True),
    ("before", QuestionKind.YES_NO, True),
    ("continue", QuestionKind.YES_NO, True),
    ("wish", QuestionKind.TEXT, False),
)


TEMPLATES = ("mentee", "mentor")


@dataclass
class QuestionDraft:
    kind: QuestionKind
    text: str
    options: list[str] = field(default_factory=list)
    required: bool = True


@dataclass
class QuestionView:
    id: int
    position: int
    kind: QuestionKind
    text: str
    options: list[str]
    required: bool


@dataclass
class Questionnaire:
    survey_id: int
    title: str
    anonymous: bool
    deadline: datetime
    timezone: str
    questions: list[QuestionView]


@dataclass
class SurveyCard:
    id: int
    organization_id: int
    title: str
    template: str | None
    audience: str
    audience_label: str | None  # a program's people, for "program.<id>"
    anonymous: bool
    status: SurveyStatus
    deadline: datetime
    timezone: str
    questions: int
    invited: int
    answered: int
    min_answers: int
    can_manage: bool


@dataclass
class QuestionResult:
    id: int
    position: int
    kind: QuestionKind
    text: str
    answered: int
    mean: float | None = None
    distribution: list[tuple[str, int]] = field(default_factory=list)  # (value or option, count)
    texts: list[str] = field(default_factory=list)  # free answers, in random order
    options: list[str] = field(default_factory=list)
    hidden: bool = False  # fewer answers than the minimum: nothing of them is shown


@dataclass
class SurveyResults:
    survey_id: int
    title: str
    anonymous: bool
    deadline: datetime
    timezone: str
    invited: int
    answered: int
    questions: list[QuestionResult]
    minimum: int = MIN_ANSWERS
    stored: int = 0  # answers in the results (an open pooled questionnaire's last few wait in the mix)


def _view(q: SurveyQuestion | Row, template: str | None, i18n: I18n | None, locale: str | None) -> QuestionView:
    text = q.text
    if q.key and template and i18n is not None:
        text = i18n.get(locale).plain(f"survey_q.{template}.{q.key}")
    return QuestionView(q.id, q.position, q.kind, text, json.loads(q.options) if q.options else [], q.required)


def deadline_for(day: Any, zone: str) -> datetime:
    """The end (23:59) of a local day, as a UTC instant."""
    return datetime.combine(day, time(23, 59), tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def remind_time(launched: datetime, deadline: datetime) -> datetime:
    """One reminder: a day before the deadline, or halfway for a survey shorter than two days."""
    return max(deadline - timedelta(days=1), launched + (deadline - launched) / 2)


def _clean(raw: str, limit: int) -> str:
    text = " ".join(raw.split()) if "\n" not in raw else raw.strip()
    if not text:
        raise InvalidInput("profile.too_short")
    if len(text) > limit:
        raise InvalidInput("profile.too_long", max=limit, got=len(text))
    return text


def parse_options(raw: str) -> list[str]:
    options = [" ".join(line.split()) for line in raw.splitlines() if line.strip()]
    if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        raise InvalidInput("survey.bad_options", min=OPTIONS_MIN, max=OPTIONS_MAX)
    if any(len(o) > OPTION_MAX_LEN for o in options):
        raise InvalidInput("survey.option_too_long", max=OPTION_MAX_LEN)
    if len(set(options)) != len(options):
        raise InvalidInput("survey.options_repeat")
    return options


def clean_question(raw: str) -> str:
    return _clean(raw, QUESTION_MAX_LEN)


def clean_title(raw: str) -> str:
    return _clean(" ".join(raw.split()), TITLE_MAX_LEN)


def clean_answer(raw: str) -> str:
    return _clean(raw, ANSWER_MAX_LEN)


async def _survey(session: AsyncSession, survey_id: int) -> Survey:
    survey = await session.get(Survey, survey_id)
    if survey is None:
        raise NotFound()
    return survey


async def _managed(session: AsyncSession, actor: Actor, survey_id: int) -> Survey:
    survey = await _survey(session, survey_id)
    if not actor.has_role(survey.organization_id, *MANAGERS):
        raise AccessDenied("survey.only_curators")
    return survey


async def _zone(session: AsyncSession, org_id: int) -> str:
    org = await session.get(Organization, org_id)
    return org.timezone if org else "UTC"


async def _check_audience(session: AsyncSession, org_id: int, audience: str) -> None:
    kind, _, value = audience.partition(".")
    if audience in AUDIENCES:
        return
    if kind == "program" and is_whole(value):
        m = await session.get(Mentorship, int(value))
        if m is not None and m.organization_id == org_id:
            return
    raise AccessDenied()


async def audience_people(session: AsyncSession, survey: Survey) -> list[Person]:
    """Who a survey goes to: by the audience, narrowed to mentees or mentors for the templates."""
    roles = {"mentee": (Role.MENTEE,), "mentor": (Role.MENTOR,)}.get(survey.template or "", (Role.MENTEE, Role.MENTOR))
    kind, _, value = survey.audience.partition(".")
    if kind == "program":
        m = await session.scalar(select(Mentorship).where(Mentorship.id == int(value)).options(
            selectinload(Mentorship.participants).selectinload(Participant.person)))
        if m is None:
            return []
        mentor = current_mentor(m)
        people = [p.person for p in current_mentees(m) if Role.MENTEE in roles]
        if mentor is not None and Role.MENTOR in roles:
            people.append(mentor.person)
        return [p for p in people if p.erased_at is None and p.telegram_id is not None]
    wanted = {"mentees": (Role.MENTEE,), "mentors": (Role.MENTOR,)}.get(survey.audience, (Role.MENTEE, Role.MENTOR))
    wanted = tuple(r for r in wanted if r in roles)
    return list((await session.scalars(select(Person).join(Membership, Membership.person_id == Person.id).where(
        Membership.organization_id == survey.organization_id, Membership.role.in_(wanted),
        Membership.ended_at.is_(None), Person.erased_at.is_(None), Person.telegram_id.is_not(None))
        .distinct().order_by(Person.id))).all())


async def create(session: AsyncSession, actor: Actor, *, audience: str, deadline: datetime, now: datetime,
                 i18n: I18n, template: str | None = None, title: str | None = None,
                 questions: list[QuestionDraft] | None = None) -> int:
    """A draft: a template's questionnaire or the curator's own questions."""
    org_id = actor.first_org_where(*MANAGERS, denied="survey.only_curators")
    await _check_audience(session, org_id, audience)
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


def _invitation_buttons(i18n: I18n, locale: str | None, survey_id: int) -> Buttons:
    return [[Button(i18n.get(locale).plain("btn.survey_start"), Action.START_SURVEY, {"survey": survey_id})]]


async def _open(session: AsyncSession, survey: Survey, now: datetime, i18n: I18n) -> int:
    """Invite the audience (participation rows and invitations through the outbox)."""
    people = await audience_people(session, survey)
    survey.status = SurveyStatus.OPEN
    survey.launched_at = now
    survey.remind_at = remind_time(now, survey.deadline)
    zone = await _zone(session, survey.organization_id)
    await _invite(session, survey, people, now, i18n, zone)
    return len(people)


async def _invite(session: AsyncSession, survey: Survey, people: list[Person], now: datetime, i18n: I18n,
                  zone: str) -> None:

    for person in people:
        session.add(SurveyParticipant(survey_id=survey.id, person_id=person.id, answered=False))
        t = i18n.get(person.locale)
        await tell(session, person, "survey.invitation", now, i18n,
                    buttons=_invitation_buttons(i18n, person.locale, survey.id),
                    dedup_key=f"survey:{survey.id}:invite:{person.id}", title=_title(survey, i18n, person.locale),
                    deadline=local_time(survey.deadline, zone),
                    anonymity=t.plain("survey.anonymous_note" if survey.anonymous else "survey.named_note"))


def _title(survey: Survey | Row, i18n: I18n, locale: str | None) -> str:
    return i18n.get(locale).plain(f"survey.template.{survey.template}") if survey.template else survey.title


async def launch(session: AsyncSession, actor: Actor, survey_id: int, now: datetime, i18n: I18n) -> int:
    survey = await _managed(session, actor, survey_id)
    if survey.status != SurveyStatus.DRAFT:
        raise InvalidInput("error.stale_button")
    if survey.deadline <= now + timedelta(hours=1):
        raise InvalidInput("survey.deadline_passed")
    invited = await _open(session, survey, now, i18n)
    if invited == 0:
        await session.rollback()
        raise InvalidInput("survey.nobody")
    minimum = await _minimum(session, survey.organization_id)
    if survey.anonymous and invited < minimum:  # its answers could never be shown, nor kept apart from names
        await session.rollback()
        raise InvalidInput("survey.audience_too_small", got=invited, min=minimum)
    await session.commit()
    return invited


def school_year(day: date) -> int:
    """The school year a day belongs to, by the year of its 1 September."""
    return day.year if day.month >= 9 else day.year - 1


async def launch_on_completion(session: AsyncSession, m: Mentorship, now: datetime, i18n: I18n) -> None:
    """A program completed: its mentees are invited to the organisation's pooled mentee questionnaire of
    this school year, its mentor to the mentors' one (opened by the first completion of the year, open to
    31 August). A questionnaire of one pair would have one or two respondents: no anonymity at all.
    Runs inside the completing transaction (the caller commits)."""
    zone = await _zone(session, m.organization_id)
    year = school_year(now.astimezone(ZoneInfo(zone)).date())
    audience = f"{POOL_PREFIX}{year}"
    for template in TEMPLATES:
        survey = await session.scalar(select(Survey).where(
            Survey.organization_id == m.organization_id, Survey.template == template, Survey.audience == audience,
            Survey.status == SurveyStatus.OPEN).with_for_update())
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
        invited = set((await session.scalars(select(SurveyParticipant.person_id).where(
            SurveyParticipant.survey_id == survey.id))).all())
        people = [p for p in await audience_people(session, program) if p.id not in invited]
        await _invite(session, survey, people, now, i18n, zone)


async def set_anonymous(session: AsyncSession, actor: Actor, survey_id: int, anonymous: bool) -> None:
    """Anonymity is fixed from the first answer on: respondents were told what it is."""
    survey = await _managed(session, actor, survey_id)
    _, answers = await _counts(session, survey.id)
    if answers or survey.status == SurveyStatus.CLOSED:
        raise InvalidInput("survey.anonymity_locked")
    if survey.status == SurveyStatus.OPEN:
        raise InvalidInput("survey.anonymity_after_launch")  # the invitations already said which it is
    survey.anonymous = anonymous
    await session.commit()


async def delete_draft(session: AsyncSession, actor: Actor, survey_id: int) -> None:
    survey = await _managed(session, actor, survey_id)
    if survey.status != SurveyStatus.DRAFT:
        raise InvalidInput("error.stale_button")
    await session.execute(delete(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id))
    await session.delete(survey)
    await session.commit()


async def close(session: AsyncSession, actor: Actor, survey_id: int, now: datetime, i18n: I18n) -> None:
    survey = await _managed(session, actor, survey_id)
    await session.refresh(survey, with_for_update=True)  # an answer being written finishes first
    if survey.status != SurveyStatus.OPEN:
        raise InvalidInput("error.stale_button")
    await _close(session, survey, now, i18n)
    await session.commit()
    await checkpoint(session)


async def _close(session: AsyncSession, survey: Survey, now: datetime, i18n: I18n) -> int:
    """Closed for good: the mix's last batch is written (or, too small to be anonymous, not written and
    its authors told). With enough answers, the mean of all its 1–10 answers is kept for the summaries
    (an aggregate only, like everything shown of a survey). Returns the notifications queued."""
    survey.status, survey.closed_at = SurveyStatus.CLOSED, now
    _, dropped = await _write_batch(session, survey, closing=True)
    minimum = await _minimum(session, survey.organization_id)
    for person in (await session.scalars(select(Person).where(Person.id.in_(dropped)))).all():
        await tell(session, person, "survey.answer_not_kept", now, i18n, min=minimum,
                    dedup_key=f"survey:{survey.id}:not-kept:{person.id}", title=_title(survey, i18n, person.locale))
    scales = {str(q) for q in (await session.scalars(select(SurveyQuestion.id).where(
        SurveyQuestion.survey_id == survey.id, SurveyQuestion.kind == QuestionKind.SCALE))).all()}
    answers = [json.loads(text) for text in (await session.scalars(select(SurveyResponse.answers).where(
        SurveyResponse.survey_id == survey.id))).all()]
    values = [v for a in answers for k, v in a.items() if k in scales]
    if len(answers) >= minimum and values:
        survey.mean_score = sum(values) / len(values)
    return len(dropped)


async def _counts(session: AsyncSession, survey_id: int) -> tuple[int, int]:
    """(invited, answered), counted in SQL."""
    row = (await session.execute(select(func.count(), func.coalesce(func.sum(
        case((SurveyParticipant.answered.is_(True), 1), else_=0)), 0),
        select(func.count()).select_from(SurveyMixEntry).where(SurveyMixEntry.survey_id == survey_id)
        .scalar_subquery()).where(SurveyParticipant.survey_id == survey_id))).one()
    return int(row[0]), int(row[1]) + int(row[2] or 0)


async def card(session: AsyncSession, actor: Actor, survey_id: int, i18n: I18n | None = None) -> SurveyCard:
    survey = await _survey(session, survey_id)
    if not actor.has_role(survey.organization_id, *READERS):
        raise AccessDenied("survey.only_curators")
    org = await session.get(Organization, survey.organization_id)
    invited, answered = await _counts(session, survey.id)
    questions = await session.scalar(select(func.count()).select_from(SurveyQuestion).where(
        SurveyQuestion.survey_id == survey.id)) or 0
    label = None
    if survey.audience.startswith("program."):
        m = await session.scalar(select(Mentorship).where(Mentorship.id == int(survey.audience[8:])).options(
            selectinload(Mentorship.participants).selectinload(Participant.person)))
        if m is not None:
            label = pair_title(m)
    return SurveyCard(survey.id, survey.organization_id,
                      _title(survey, i18n, actor.locale) if i18n else survey.title, survey.template,
                      survey.audience, label, survey.anonymous, survey.status, survey.deadline,
                      org.timezone if org else "UTC", questions, invited, answered,
                      minimum_of(org), actor.has_role(survey.organization_id, *MANAGERS))


async def programs_for_audience(session: AsyncSession, actor: Actor, limit: int = 40) -> list[tuple[int, str]]:
    """The organisation's active pairs and groups, newest first, to pick a program's participants."""
    from db.models import MentorshipStatus

    org_id = actor.first_org_where(*MANAGERS, denied="survey.only_curators")
    rows = (await session.scalars(select(Mentorship).where(
        Mentorship.organization_id == org_id, Mentorship.status == MentorshipStatus.ACTIVE)
        .options(selectinload(Mentorship.participants).selectinload(Participant.person))
        .order_by(Mentorship.id.desc()).limit(limit))).all()
    return [(m.id, pair_title(m)) for m in rows]


async def managed_list(session: AsyncSession, actor: Actor, limit: int = 15) -> list[tuple[int, str, SurveyStatus]]:
    orgs = [org_id for org_id, _ in actor.orgs_where(*READERS)]
    if not orgs:
        return []
    rows = (await session.execute(select(Survey.id, Survey.title, Survey.status, Survey.template).where(
        Survey.organization_id.in_(orgs)).order_by(Survey.id.desc()).limit(limit))).all()
    return [(row.id, row.title, row.status) for row in rows]


async def open_for(session: AsyncSession, actor: Actor, now: datetime,
                   i18n: I18n) -> list[tuple[int, str, datetime, str]]:
    """Open surveys the actor was invited to and has not answered: (id, title, deadline, zone)."""
    if actor.person_id is None:
        return []
    rows = await plain_rows(session, OPEN_FOR, {"person_id": actor.person_id, "now": now})
    return [(s.id, _title(s, i18n, actor.locale), s.deadline, s.timezone) for s in rows]


QUESTIONS_CACHED = 256  # surveys, per database


async def _open_questions(session: AsyncSession, survey: Row) -> list[Row]:
    """A survey's questions (plain rows, what `_view` reads), from memory for an open survey seen before."""
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
    return Questionnaire(survey.id, _title(survey, i18n, actor.locale) if i18n else survey.title,
                         survey.anonymous, survey.deadline, survey.timezone,
                         [_view(q, survey.template, i18n, actor.locale) for q in questions])


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
        marked = await session.execute(update(SurveyParticipant).where(
            SurveyParticipant.survey_id == survey_id, SurveyParticipant.person_id == actor.person_id,
            SurveyParticipant.answered.is_(False)).values(answered=True))
        if marked.rowcount != 1:
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
    survey = await session.scalar(select(Survey).where(Survey.id == survey_id).with_for_update())
    if survey is None or survey.status != SurveyStatus.OPEN:  # closed meanwhile
        await session.rollback()
        raise InvalidInput("survey.closed")
    written, _ = await _write_batch(session, survey, closing=False)
    await session.commit()
    if written:
        await checkpoint(session)


def minimum_of(org: Organization | None) -> int:
    """The answers a survey of `org` needs before anything of it is shown, and the size of a mix batch."""
    return max(MIN_ANSWERS, org.survey_min_answers if org else MIN_ANSWERS)


async def _minimum(session: AsyncSession, org_id: int) -> int:
    return minimum_of(await session.get(Organization, org_id))


def is_pooled(survey: Survey | Row | SurveyCard) -> bool:
    """The organisation's completion questionnaire of a school year: its results are shown while it is open."""
    return survey.audience.startswith(POOL_PREFIX)


async def _mix_entries(session: AsyncSession, survey_id: int) -> list[survey_mix.Entry]:
    """The survey's entries this process can open."""
    key = survey_mix.current()
    rows = (await session.execute(select(SurveyMixEntry.id, SurveyMixEntry.person_id, SurveyMixEntry.sealed).where(
        SurveyMixEntry.survey_id == survey_id, SurveyMixEntry.key_id == key.id))).all()
    return [survey_mix.Entry(row.id, row.person_id, key.open(row.sealed, survey_id)) for row in rows]


async def _write_batch(session: AsyncSession, survey: Survey, *, closing: bool) -> tuple[list[int], list[int]]:
    """Move a batch from the mix to the responses, with its people's marks, in the caller's transaction
    (the survey's row is locked by the caller). Closing: everything left, or, when that is fewer than the
    minimum, nothing, and the entries are deleted all the same. Returns (whose answers were written, whose
    were not: closing with too few)."""
    entries = await _mix_entries(session, survey.id)
    minimum = await _minimum(session, survey.organization_id)
    batch = survey_mix.choose_batch(entries, minimum, pooled=is_pooled(survey), closing=closing)
    gone = batch if not closing else entries
    if not gone:
        return [], []
    await session.execute(delete(SurveyMixEntry).where(SurveyMixEntry.id.in_([e.id for e in gone])))
    await session.execute(update(SurveyParticipant).where(
        SurveyParticipant.survey_id == survey.id,
        SurveyParticipant.person_id.in_([e.person_id for e in gone])).values(answered=True))
    for entry in survey_mix.shuffled(batch):
        session.add(SurveyResponse(id=secrets.token_hex(16), survey_id=survey.id, respondent_id=None,
                                   answers=json.dumps(entry.answers, ensure_ascii=False, sort_keys=True)))
    await session.flush()
    written = {e.id for e in batch}
    return [e.person_id for e in batch], [e.person_id for e in gone if e.id not in written]


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
                    buttons=_invitation_buttons(i18n, person.locale, survey.id),
                    dedup_key=f"survey:{survey.id}:lost:{row.key_id}:{person.id}",
                    title=_title(survey, i18n, person.locale))
        told += 1
    return len(lost), told


async def results(session: AsyncSession, actor: Actor, survey_id: int, i18n: I18n) -> SurveyResults:
    survey = await _survey(session, survey_id)
    if not actor.has_role(survey.organization_id, *READERS):
        raise AccessDenied("survey.only_curators")
    org = await session.get(Organization, survey.organization_id)
    minimum = minimum_of(org)
    if survey.status != SurveyStatus.CLOSED and not (survey.status == SurveyStatus.OPEN and is_pooled(survey)):
        raise InvalidInput("survey.results_after_close")
    answers = [json.loads(text) for text in (await session.scalars(select(SurveyResponse.answers).where(
        SurveyResponse.survey_id == survey.id))).all()]
    invited, answered = await _counts(session, survey.id)
    if len(answers) < minimum:
        raise InvalidInput("survey.too_few", min=minimum, got=answered)
    t = i18n.get(actor.locale)
    questions = (await session.scalars(select(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id)
                                       .order_by(SurveyQuestion.position))).all()
    out = []
    for row in questions:
        q = _view(row, survey.template, i18n, actor.locale)
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
            _rng.shuffle(result.texts)
        out.append(result)
    return SurveyResults(survey.id, _title(survey, i18n, actor.locale), survey.anonymous, survey.deadline,
                         org.timezone if org else "UTC", invited, answered, out, minimum, len(answers))


async def named_answers(session: AsyncSession, actor: Actor, survey_id: int,
                        i18n: I18n) -> list[tuple[str, dict[str, Any]]]:
    """A named (not anonymous) survey's answers with the respondents' names, for its XLSX;
    only once its results may be shown."""
    survey = await _survey(session, survey_id)
    await results(session, actor, survey_id, i18n)  # the same checks: reader, closed, enough answers
    if survey.anonymous:
        raise AccessDenied()
    rows = (await session.execute(select(SurveyResponse.answers, Person.full_name).outerjoin(
        Person, Person.id == SurveyResponse.respondent_id).where(SurveyResponse.survey_id == survey.id))).all()
    return sorted(((name or "—", json.loads(text)) for text, name in rows), key=lambda row: row[0])


async def send_due(session: AsyncSession, now: datetime, i18n: I18n) -> int:
    """One reminder to those who have not answered; at the deadline the survey closes and its
    curators are told. Returns how many notifications were queued."""

    deleted, queued = await recover_lost_answers(session, now, i18n)
    erased = deleted > 0  # sealed entries deleted, or (below) a closing batch: the WAL is checkpointed after
    for survey in (await session.scalars(select(Survey).where(
            Survey.status == SurveyStatus.OPEN, Survey.remind_at <= now, Survey.reminded_at.is_(None),
            Survey.deadline > now))).all():
        zone = await _zone(session, survey.organization_id)
        late = (await session.scalars(select(Person).join(
            SurveyParticipant, SurveyParticipant.person_id == Person.id).where(
            SurveyParticipant.survey_id == survey.id, SurveyParticipant.answered.is_(False),
            ~in_mix(SurveyParticipant.person_id), Person.erased_at.is_(None)))).all()
        for person in late:
            await tell(session, person, "survey.reminder", now, i18n,
                        buttons=_invitation_buttons(i18n, person.locale, survey.id),
                        dedup_key=f"survey:{survey.id}:remind:{person.id}",
                        title=_title(survey, i18n, person.locale), deadline=local_time(survey.deadline, zone))
            queued += 1
        survey.reminded_at = now
    for survey in (await session.scalars(select(Survey).where(
            Survey.status == SurveyStatus.OPEN, Survey.deadline <= now).with_for_update())).all():
        queued += await _close(session, survey, now, i18n)
        erased = True
        invited, answered = await _counts(session, survey.id)
        for curator in await curators_of(session, survey.organization_id):
            results = [[Button(i18n.get(curator.locale).plain("btn.survey_results"), Action.SURVEY_RESULTS,
                               {"survey": survey.id})]]
            await tell(session, curator, "survey.closed_notice", now, i18n, buttons=results,
                        dedup_key=f"survey:{survey.id}:closed:{curator.id}",
                        title=_title(survey, i18n, curator.locale), answered=answered, invited=invited)
            queued += 1
    await session.commit()
    if erased:
        await checkpoint(session)
    return queued


async def forget_person(session: AsyncSession, person_id: int) -> None:
    """Erasure: a named survey's answers stop naming the person (they stay, anonymous, in the counts)."""
    await session.execute(update(SurveyResponse).where(SurveyResponse.respondent_id == person_id)
                          .values(respondent_id=None))
    await session.execute(delete(SurveyMixEntry).where(SurveyMixEntry.person_id == person_id))
