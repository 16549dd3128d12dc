"""Callback data of the catalogue's buttons. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class CatalogueAction(StrEnum):
    LIST = "list"
    ADD = "add"


class CatalogueCb(CallbackData, prefix="ct"):
    org: int
    action: CatalogueAction


class TopicAction(StrEnum):
    SHOW = "show"
    RENAME = "rename"
    RETIRE = "retire"
    RESTORE = "restore"


class TopicCb(CallbackData, prefix="tp"):
    topic: int
    action: TopicAction
