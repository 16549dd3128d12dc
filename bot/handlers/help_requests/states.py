"""Dialog states of help requests."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable, Volatile


class HelpForm(StatesGroup):
    text = State()  # data: Asking
    comment = State()  # data: Rating


class Asking(Durable):
    help_topic: int | None = None  # None: another topic


class Conversation(Durable):
    """The request a person's free-text messages go to, kept outside any dialog step."""

    help_request: int | None = None


class Rating(Durable):
    help_rated: int | None = None


class HeldMessage(Volatile):
    """A message that waits, in memory only, for its sender to say which request it goes to: never a guess."""

    text: str | None
    attachment: tuple[int, int] | None  # (chat id, message id) of an attachment to copy
