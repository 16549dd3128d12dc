"""Synchronous filters run in the event loop, not in a thread."""
from __future__ import annotations

from collections.abc import Iterator

from aiogram import Dispatcher
from aiogram.dispatcher.event.handler import CallableObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver


def _awaited_inline(callable_object: CallableObject) -> None:
    sync = callable_object.callback

    async def inline(*args: object, **kwargs: object) -> object:
        return sync(*args, **kwargs)

    inline.__wrapped__ = sync  # type: ignore[attr-defined]  # what it runs: inspect.unwrap finds it
    callable_object.callback = inline
    callable_object.awaitable = True


def callables(dp: Dispatcher) -> Iterator[CallableObject]:
    """Every handler and filter of the dispatcher and its routers (the observers' own filters too)."""
    for router in dp.chain_tail:
        for observer in router.observers.values():
            if isinstance(observer, TelegramEventObserver):
                for handler in [observer._handler, *observer.handlers]:  # noqa: SLF001 - no public accessor
                    yield handler
                    yield from handler.filters or ()


def run_inline(dp: Dispatcher) -> None:
    """aiogram runs every callable that is not a coroutine function (magic filters such as `F.text`,
    `F.data == "x"`) through `asyncio.to_thread`: a thread hop per filter per update, two dozen an update
    here, which cost more CPU than the handlers themselves (bench/updates.py). Our filters are pure and
    instant, so they run in the event loop."""
    for callable_object in callables(dp):
        if not callable_object.awaitable:
            _awaited_inline(callable_object)
