"""Dialog states of help requests."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Volatile


class HelpForm(StatesGroup):
    text = State()  # data: help_topic
    comment = State()  # data: help_rated


class HeldMessage(Volatile):
    """A message that waits, in memory only, for its sender to say which request it goes to: never a guess."""

    text: str | None
    attachment: tuple[int, int] | None  # (chat id, message id) of an attachment to copy
