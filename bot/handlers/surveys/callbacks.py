"""Callback data of the buttons of surveys. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class SurveyAction(StrEnum):
    SHOW = "show"
    NEW = "new"
    START = "start"
    LAUNCH = "launch"
    ANON = "anon"  # anonymous or not, while a draft
    DELETE = "delete"
    CLOSE = "close"
    RESULTS = "results"
    XLSX = "xlsx"


class SurveyCb(CallbackData, prefix="qs"):
    survey: int
    action: SurveyAction


class SurveyNewCb(CallbackData, prefix="qn"):
    kind: str  # mentee | mentor (the templates) | custom


class SurveyAudienceCb(CallbackData, prefix="qu"):
    value: str  # mentees | mentors | everyone | programs (pick one) | program.<mentorship id>


class SurveyDeadlineCb(CallbackData, prefix="qd"):
    days: int


class SurveyKindCb(CallbackData, prefix="qk"):
    kind: str  # a QuestionKind value


class SurveyRequiredCb(CallbackData, prefix="qr"):
    required: bool


class BuildAction(StrEnum):
    MORE = "more"  # another question
    DONE = "done"  # on to the audience


class SurveyBuildCb(CallbackData, prefix="qb"):
    action: BuildAction


class SurveyAnswerCb(CallbackData, prefix="qa"):
    survey: int
    q: int  # the question's index; the summary is index len(questions)
    v: str  # 1..10 | y | n | o<i> (option) | t<i> (toggle) | d (multi done) | s (skip) | b (back) | send
