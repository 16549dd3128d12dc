"""Dialog states of surveys."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


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
    # data: sv (survey); v_sq (question index), v_sa (answers), v_sm (multi selection) in memory only
    question = State()
    confirm = State()
