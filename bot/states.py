"""FSM states, grouped per flow."""
from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    consent = State()  # data: token; nothing is stored in the database yet


class ProfileForm(StatesGroup):
    step = State()  # data: queue (steps left), mode (onboarding | edit), selected (topic ids)


class RegistryForm(StatesGroup):
    query = State()  # data: org, role
