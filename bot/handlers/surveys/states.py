"""Dialog states of surveys."""
from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable, Volatile


class SurveyBuild(StatesGroup):
    title = State()  # data: build (the draft: template or title, questions, audience)
    kind = State()
    question = State()  # data: build.pending (the question being written)
    options = State()
    required = State()
    more = State()
    audience = State()
    deadline = State()


class SurveyAnswering(StatesGroup):
    question = State()  # data: AnsweringSurvey; SurveyProgress in memory only
    confirm = State()


class AnsweringSurvey(Durable):
    sv: int = 0  # which survey (0: none; the key's name is what dialogs begun before these models stored)


class SurveyProgress(Volatile):
    """How far a person is and what they answered: never in the database or Redis, so that an answer in
    progress writes nothing anywhere and cannot be tied to its author there."""

    question: int = 0  # the index of the question shown (len(questions): the summary)
    answers: dict[str, Any] = {}  # question id -> answer
    picked: list[int] = []  # a multiple-choice question's options ticked so far
