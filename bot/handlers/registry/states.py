"""Dialog states of registry."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable
from bot.handlers.registry.callbacks import RegistryFilter


class RegistryForm(StatesGroup):
    query = State()  # data: Searching


class Searching(Durable):
    """Which page the search is for, and the query once typed (kept after the dialog: the pages use it)."""

    registry_org: int = 0
    registry_role: RegistryFilter = RegistryFilter.ALL
    registry_query: str | None = None
