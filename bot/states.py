"""FSM states, grouped per flow."""
from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    consent = State()  # data: token; nothing is stored in the database yet


class ProfileForm(StatesGroup):
    step = State()  # data: queue (steps left), mode (onboarding | edit), selected (topic ids)


class RegistryForm(StatesGroup):
    query = State()  # data: org, role


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


class HelpForm(StatesGroup):
    text = State()  # data: help_topic
    comment = State()  # data: help_rated


class MeetingForm(StatesGroup):
    date = State()  # data: log_mentorship
    duration = State()
    format = State()
    channel = State()
    topic = State()
    summary = State()
    next_steps = State()
    item = State()
    comment = State()  # data: meeting (a mentee's comment)


class SpeedForm(StatesGroup):
    topic = State()
    when = State()
    duration = State()
    place = State()
    capacity = State()
    audience = State()  # data: speed (the draft)
    move = State()  # data: speed_session


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


class StaffForm(StatesGroup):
    numbers = State()  # data: staff_org
