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


rules: limits, templates, audiences, the minimum; build: drafts, launching, closing; answer: the
questionnaire and the submission; results; jobs: what the scheduler runs; queries: the statements.
"""
from __future__ import annotations

from bot.services.surveys.answer import QUESTIONS_CACHED, check_answer, open_for, questionnaire, submit
from bot.services.surveys.build import (
    card,
    close,
    create,
    delete_draft,
    launch,
    launch_on_completion,
    managed_list,
    programs_for_audience,
    set_anonymous,
)
from bot.services.surveys.jobs import recover_lost_answers, send_due
from bot.services.surveys.results import named_answers, results
from bot.services.surveys.rules import (
    ANSWER_MAX_LEN,
    AUDIENCES,
    DEADLINE_DAYS_MAX,
    MANAGERS,
    MIN_ANSWERS,
    OPTION_MAX_LEN,
    OPTIONS_MAX,
    OPTIONS_MIN,
    POOL_PREFIX,
    QUESTION_MAX_LEN,
    QUESTIONS_MAX,
    READERS,
    SCALE,
    TEMPLATE_KEYS,
    TEMPLATES,
    TITLE_MAX_LEN,
    QuestionDraft,
    Questionnaire,
    QuestionResult,
    QuestionView,
    SurveyCard,
    SurveyResults,
    audience_people,
    clean_answer,
    clean_question,
    clean_title,
    deadline_for,
    forget_person,
    is_pooled,
    minimum_of,
    parse_options,
    remind_time,
    school_year,
)

__all__ = [
    "OPTIONS_MAX",
    "OPTIONS_MIN",
    "ANSWER_MAX_LEN",
    "AUDIENCES",
    "DEADLINE_DAYS_MAX",
    "MANAGERS",
    "MIN_ANSWERS",
    "OPTION_MAX_LEN",
    "POOL_PREFIX",
    "QUESTIONS_CACHED",
    "QUESTIONS_MAX",
    "QUESTION_MAX_LEN",
    "QuestionDraft",
    "QuestionResult",
    "QuestionView",
    "Questionnaire",
    "READERS",
    "SCALE",
    "SurveyCard",
    "SurveyResults",
    "TEMPLATES",
    "TEMPLATE_KEYS",
    "TITLE_MAX_LEN",
    "audience_people",
    "card",
    "check_answer",
    "clean_answer",
    "clean_question",
    "clean_title",
    "close",
    "create",
    "deadline_for",
    "delete_draft",
    "forget_person",
    "is_pooled",
    "launch",
    "launch_on_completion",
    "managed_list",
    "minimum_of",
    "named_answers",
    "open_for",
    "parse_options",
    "programs_for_audience",
    "questionnaire",
    "recover_lost_answers",
    "remind_time",
    "results",
    "school_year",
    "send_due",
    "set_anonymous",
    "submit",
]
