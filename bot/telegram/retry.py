"""Handler requests ride out Telegram's short troubles.

A reply, an edit or a button's answer made while handling an update is retried when Telegram says
"too many requests" (after the `retry_after` it names, if that is short) and on 5xx answers and network
errors (timeouts included) with a short backoff; anything else, or trouble that lasts, is raised to
the dispatcher's error handler as before. The notification outbox (bot/runtime/sender.py) has its own,
longer retry policy and durable state, so its requests pass through untouched (`OUTBOX` marks them).
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from contextvars import ContextVar

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramEntityTooLarge, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import AnswerCallbackQuery, GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)

OUTBOX: ContextVar[bool] = ContextVar("nastavnik_outbox", default=False)


class ReplyRetry(BaseRequestMiddleware):
    def __init__(self, retries: int, wait_max: float, backoff: float = 0.5) -> None:
        self.retries = retries  # further attempts after the first
        self.wait_max = wait_max  # the longest retry_after worth waiting for while a person waits
        self.backoff = backoff

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        if OUTBOX.get() or isinstance(method, GetUpdates):  # they have retry policies of their own
            return await make_request(bot, method)
        attempt = 0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if attempt >= self.retries or error.retry_after > self.wait_max:
                    raise
                delay: float = error.retry_after
            except TelegramEntityTooLarge:
                raise
            except (TelegramServerError, TelegramNetworkError) as error:
                if attempt >= self.retries:
                    raise
                delay = self.backoff * 2**attempt
                log.info("%s failed (%s): again in %.1f s", type(method).__name__, error, delay)
            attempt += 1
            await asyncio.sleep(delay)


class AnsweredCallbacks(BaseRequestMiddleware):
    """Which button presses (callback queries) were answered, the last `size` of them. A press is
    answered once: a second answer is a 400 and shows nothing, so when a handler fails after answering,
    the error handler apologises in a message instead (`answered`)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        response = await make_request(bot, method)
        if isinstance(method, AnswerCallbackQuery):
            self._ids[method.callback_query_id] = None
            if len(self._ids) > self.size:
                self._ids.popitem(last=False)
        return response

    def answered(self, callback_query_id: str) -> bool:
        return callback_query_id in self._ids
