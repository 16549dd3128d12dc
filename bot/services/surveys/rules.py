"""What every part of surveys shares: limits, templates, audiences, the minimum, the data they return."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.numbers import is_whole
from bot.services.people import current_mentees, current_mentor
from bot.services.surveys import queries
from db.models import (
    Mentorship,
    Organization,
    Person,
    QuestionKind,
    Role,
    Survey,
    SurveyQuestion,
    SurveyStatus,
)

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


RNG = random.SystemRandom()


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


def question_view(q: SurveyQuestion | Row, template: str | None, i18n: I18n | None, locale: str | None) -> QuestionView:
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


async def survey_or_404(session: AsyncSession, survey_id: int) -> Survey:
    survey = await session.get(Survey, survey_id)
    if survey is None:
        raise NotFound()
    return survey


async def managed_survey(session: AsyncSession, actor: Actor, survey_id: int) -> Survey:
    survey = await survey_or_404(session, survey_id)
    if not actor.has_role(survey.organization_id, *MANAGERS):
        raise AccessDenied("survey.only_curators")
    return survey


async def zone_of_survey_org(session: AsyncSession, org_id: int) -> str:
    org = await session.get(Organization, org_id)
    return org.timezone if org else "UTC"


async def check_audience(session: AsyncSession, org_id: int, audience: str) -> None:
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
        m = await queries.pair_with_people(session, int(value))
        if m is None:
            return []
        mentor = current_mentor(m)
        people = [p.person for p in current_mentees(m) if Role.MENTEE in roles]
        if mentor is not None and Role.MENTOR in roles:
            people.append(mentor.person)
        return [p for p in people if p.erased_at is None and p.telegram_id is not None]
    wanted = {"mentees": (Role.MENTEE,), "mentors": (Role.MENTOR,)}.get(survey.audience, (Role.MENTEE, Role.MENTOR))
    wanted = tuple(r for r in wanted if r in roles)
    return await queries.members(session, survey.organization_id, wanted)


def survey_title(survey: Survey | Row, i18n: I18n, locale: str | None) -> str:
    return i18n.get(locale).plain(f"survey.template.{survey.template}") if survey.template else survey.title


def school_year(day: date) -> int:
    """The school year a day belongs to, by the year of its 1 September."""
    return day.year if day.month >= 9 else day.year - 1


def minimum_of(org: Organization | None) -> int:
    """The answers a survey of `org` needs before anything of it is shown, and the size of a mix batch."""
    return max(MIN_ANSWERS, org.survey_min_answers if org else MIN_ANSWERS)


async def minimum_for(session: AsyncSession, org_id: int) -> int:
    return minimum_of(await session.get(Organization, org_id))


def is_pooled(survey: Survey | Row | SurveyCard) -> bool:
    """The organisation's completion questionnaire of a school year: its results are shown while it is open."""
    return survey.audience.startswith(POOL_PREFIX)


async def forget_person(session: AsyncSession, person_id: int) -> None:
    """Erasure: a named survey's answers stop naming the person (they stay, anonymous, in the counts)."""
    await queries.forget_respondent(session, person_id)
