"""Callback data of the buttons of help requests. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class HelpTopicCb(CallbackData, prefix="hq"):
    topic: int  # 0: another topic


class HelpTakeCb(CallbackData, prefix="ht"):
    request: int


class HelpReplyCb(CallbackData, prefix="hr"):
    request: int


class HelpCloseCb(CallbackData, prefix="hc"):
    request: int


class HelpRateCb(CallbackData, prefix="hg"):
    request: int
    rating: int


SKIP_COMMENT = "skipcomment"
