"""Waiting for an asyncio.Event with a time limit, without `asyncio.wait_for`: on Python 3.11,
wait_for can swallow a cancellation that arrives just as the awaited thing completes (CPython
gh-86296, fixed in 3.12), and a loop that waits that way then never stops — a shutdown waiting for it
hangs. `asyncio.wait` never swallows the caller's cancellation."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


async def wait_set(event: asyncio.Event, timeout: float) -> bool:
    """Whether `event` was set within `timeout` seconds."""
    if event.is_set():
        return True
    waiter = asyncio.ensure_future(event.wait())
    try:
        await asyncio.wait({waiter}, timeout=timeout)
    finally:
        waiter.cancel()
    return event.is_set()


async def within(awaitable: Awaitable[T], timeout: float) -> T:
    """`awaitable`'s result if it comes within `timeout` seconds, else TimeoutError (what wait_for
    does, without swallowing a cancellation of the caller: the awaited work is cancelled with it)."""
    task = asyncio.ensure_future(awaitable)
    try:
        done, _ = await asyncio.wait({task}, timeout=timeout)
    finally:
        if not task.done():
            task.cancel()
    if not done:
        raise TimeoutError
    return task.result()


async def finish(task: asyncio.Task, timeout: float) -> None:
    """Cancel `task` and wait for it to end, at most `timeout` seconds; its outcome is not raised."""
    task.cancel()
    await asyncio.wait({task}, timeout=timeout)
    if task.done() and not task.cancelled():
        task.exception()  # retrieved: what it raised was handled (or logged) where it happened
