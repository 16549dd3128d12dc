"""Waiting for an asyncio.Event with a time limit, without `asyncio.wait_for`: on Python 3.11,
wait_for can swallow a cancellation that arrives just as the awaited thing completes (CPython
gh-86296, fixed in 3.12), and a loop that waits that way then never stops — a shutdown waiting for it
hangs. `asyncio.wait` never swallows the caller's cancellation."""
from __future__ import annotations

import asyncio


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


async def finish(task: asyncio.Task, timeout: float) -> None:
    """Cancel `task` and wait for it to end, at most `timeout` seconds; its outcome is not raised."""
    task.cancel()
    await asyncio.wait({task}, timeout=timeout)
    if task.done() and not task.cancelled():
        task.exception()  # retrieved: what it raised was handled (or logged) where it happened
