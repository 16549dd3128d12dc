"""Dialog states of mentorships."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class PairForm(StatesGroup):
    building = State()  # data: pair_org, pair_mentees, pair_mentor, pair_form


class DeclineForm(StatesGroup):
    reason = State()  # data: mentorship


class ProgramForm(StatesGroup):
    goals = State()  # data: mentorship
    months = State()  # data: mentorship, goals


class ItemForm(StatesGroup):
    activity = State()  # data: program
    due = State()  # data: program, activity
    expected = State()  # data: program, activity, due


class ItemDoneForm(StatesGroup):
    note = State()  # data: item, mentorship
