"""Dialog states of surveys."""
from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State, StatesGroup
from pydantic import BaseModel

from bot.handlers.dialogs import Durable, Volatile
from db.models import QuestionKind


class SurveyBuild(StatesGroup):
    title = State()  # data: Building
    kind = State()
    question = State()
    options = State()
    required = State()
    more = State()
    audience = State()
    deadline = State()


class Question(BaseModel):
    """A question of a survey being built; `pending` while it is being written."""

    kind: QuestionKind
    text: str = ""
    options: list[str] = []
    required: bool = True


class Draft(BaseModel):
    template: str | None = None  # a template's name, or None: the curator's own questions
    title: str | None = None
    questions: list[Question] = []
    pending: Question | None = None
    audience: str | None = None


class Building(Durable):
    build: Draft = Draft()


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
