"""Delivers the outbox within Telegram's limits.

- about 30 messages a second overall and 1 a second into one chat (aiolimiter leaky buckets),
  never more than `concurrency` requests in flight and never two at once into one chat;
- 429: everything waits `retry_after`, the message is retried; 5xx, timeouts and network errors:
  retried with exponential backoff (persisted in `next_attempt_at`), up to `max_attempts`;
- 403 (blocked by the user) and "chat not found": the person is marked unreachable and nothing
  more is sent to them; other 400s: failed, logged, not retried;
- a text over 4096 characters goes as several messages, each recorded as sent (`parts_sent`), so a
  restart resumes after the last part delivered.

A delivery takes its row in one statement (pending → sending, returning the row) and commits it
right after Telegram answers. A row left `sending` by a
process that died was handed to Telegram with no answer recorded: it is in doubt, and is sent
again on start (at least once for those, logged as such; exactly once for everything else).

Stopping (`stop()`) is cooperative, so that a stop never leaves a row in doubt: no delivery starts,
one that has not handed its message to Telegram yet gives its row back (pending, the attempt not
counted), and one waiting for Telegram's answer records it. Only what is still running after
STOP_GRACE_SECONDS is cancelled (its row stays `sending`, in doubt, for the next start).
"""
from __future__ import annotations

import asyncio
import logging
import random
import time
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile
from aiolimiter import AsyncLimiter
from sqlalchemy import Select, and_, bindparam, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError

from bot.logs import exception_summary
from bot.services.clock import Clock
from bot.services.message_split import split_message
from bot.services.notify import mark_unreachable
from bot.settings import NotifySettings
from bot.telegram.notices import notice_markup
from bot.telegram.retry import OUTBOX
from bot.waits import wait_set
from db.models import Notification, NotificationStatus

log = logging.getLogger(__name__)
BATCH = 200
STOP_GRACE_SECONDS = 5.0  # how long a stop lets the deliveries in flight record Telegram's answer
UNREACHABLE_ERRORS = ("chat not found", "user is deactivated", "bot was blocked")


def _due() -> Select:
    """What is due to be sent (the oldest first), built once: constructing it, with its alias, cost more
    than running it."""
    earlier = aliased(Notification)
    # an older message into the same chat that is being retried goes first: order is kept
    retrying_before = exists().where(
        earlier.chat_id == Notification.chat_id,
        earlier.id < Notification.id,
        or_(earlier.status == NotificationStatus.SENDING,
            and_(earlier.status == NotificationStatus.PENDING, earlier.last_error.is_not(None))),
    )
    return (select(Notification.id, Notification.chat_id)
            .where(Notification.status == NotificationStatus.PENDING,
                   Notification.next_attempt_at <= bindparam("now", type_=Notification.next_attempt_at.type),
                   ~retrying_before)
            .order_by(Notification.next_attempt_at, Notification.id)
            .limit(BATCH))


DUE = _due()
# a delivery takes its row in one statement: still pending → being sent, one attempt more, the row back
CLAIM = (update(Notification)
         .where(Notification.id == bindparam("notification_id"), Notification.status == NotificationStatus.PENDING)
         .values(status=NotificationStatus.SENDING, attempts=Notification.attempts + 1)
         .returning(Notification))


class _Stopping(Exception):
    """The sender is stopping: a delivery that has not handed its message over gives its row back."""


class NotificationSender:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], bot: Bot, settings: NotifySettings,
                 clock: Clock) -> None:
        self.sessionmaker = sessionmaker
        self.bot = bot
        self.settings = settings
        self.clock = clock
        self._rate = AsyncLimiter(1, 1 / settings.rate)  # a bucket of one: evenly spaced, no bursts
        self._chat_limiters: dict[int, AsyncLimiter] = {}
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._paused_until = 0.0
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._busy_chats: set[int] = set()
        self._busy_ids: set[int] = set()
        self._tasks: set[asyncio.Task] = set()
        self.in_doubt = 0

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Ask `run` to wind down (see the module's notes); it returns once the deliveries in flight are
        done. A stopped sender stays stopped: the application stops once."""
        self._stopping.set()
        self._wake.set()

    async def recover(self) -> int:
        """Rows a dead process left `sending` go back to the queue (see the module's notes)."""
        async with self.sessionmaker() as session:
            result = await session.execute(
                update(Notification).where(Notification.status == NotificationStatus.SENDING)
                .values(status=NotificationStatus.PENDING)
            )
            await session.commit()
        self.in_doubt = result.rowcount or 0
        if self.in_doubt:
            log.warning("%d notification(s) were being sent when the last process stopped; sending them again",
                        self.in_doubt)
        return self.in_doubt

    async def run(self) -> None:
        OUTBOX.set(True)  # this task and the deliveries it starts: the outbox's own retry policy, not ReplyRetry
        await self.recover()
        try:
            while not self._stopping.is_set():
                started = await self.run_once()
                if not started:
                    await wait_set(self._wake, self.settings.poll_interval)
                    self._wake.clear()
        finally:
            await self._wind_down()

    async def _wind_down(self) -> None:
        """The deliveries in flight finish (on a stop they see `_stopping`); the late ones are cancelled."""
        if not self._tasks:
            return
        _, late = await asyncio.wait(set(self._tasks), timeout=STOP_GRACE_SECONDS)
        for task in late:
            task.cancel()
        if late:
            log.warning("%d notification(s) still being sent at stop: left in doubt for the next start", len(late))
            await asyncio.gather(*late, return_exceptions=True)

    async def run_once(self) -> int:
        """Start delivering what is due now; returns how many deliveries were started."""
        async with self.sessionmaker() as session:
            rows = (await session.execute(DUE, {"now": self.clock.now()})).all()
        started = 0
        seen: set[int] = set()
        for notification_id, chat_id in rows:
            if self._stopping.is_set():
                break
            # one message at a time into a chat, and only a chat's oldest of this batch: the batch
            # may be stale by the time a slot is free, so a later message must not overtake
            first_of_chat = chat_id not in seen
            seen.add(chat_id)
            if not first_of_chat or notification_id in self._busy_ids or chat_id in self._busy_chats:
                continue
            await self._slots.acquire()
            self._busy_ids.add(notification_id)
            self._busy_chats.add(chat_id)
            task = asyncio.create_task(self._deliver_and_release(notification_id, chat_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            started += 1
        return started

    async def drain(self) -> None:
        """Wait for the deliveries in flight (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _deliver_and_release(self, notification_id: int, chat_id: int) -> None:
        try:
            await self.deliver(notification_id)
        except Exception as error:  # noqa: BLE001 - one failed delivery must not stop the others
            log.error("delivering notification %s failed\n%s", notification_id, exception_summary(error))
        finally:
            self._busy_ids.discard(notification_id)
            self._busy_chats.discard(chat_id)
            self._slots.release()
            self._wake.set()

    async def throttle(self, chat_id: int) -> None:
        """Wait for a slot within the same limits as the outbox: for what a handler sends that is too big
        to queue (a document)."""
        try:
            await self._throttle(chat_id)
        except _Stopping:
            pass

    async def _throttle(self, chat_id: int) -> None:
        while (delay := self._paused_until - time.monotonic()) > 0:
            if await wait_set(self._stopping, delay):
                raise _Stopping
        if self.settings.chat_interval > 0:
            limiter = self._chat_limiters.get(chat_id)
            if limiter is None:
                if len(self._chat_limiters) > 10_000:
                    self._chat_limiters.clear()  # idle buckets hold no state worth keeping
                limiter = self._chat_limiters[chat_id] = AsyncLimiter(1, self.settings.chat_interval)
            await limiter.acquire()
        await self._rate.acquire()
        if self._stopping.is_set():
            raise _Stopping

    def _backoff(self, attempts: int) -> timedelta:
        delay = min(self.settings.retry_base * 2 ** max(attempts - 1, 0), self.settings.retry_max)
        return timedelta(seconds=delay * random.uniform(0.8, 1.2))

    async def deliver(self, notification_id: int) -> None:
        try:
            await self._deliver(notification_id)
        except StaleDataError:  # erased while it was being sent (a withdrawal): nothing left to record
            log.info("notification %s was erased while it was being sent", notification_id)

    async def _deliver(self, notification_id: int) -> None:
        async with self.sessionmaker() as session:
            n = (await session.execute(CLAIM, {"notification_id": notification_id})).scalar_one_or_none()
            if n is None:  # sent, or being sent, meanwhile
                return
            await session.commit()
            # a copied message, a photo or a file carries its caption (at most 1024 characters, cut by the caller)
            parts = [n.text] if n.copy_message_id or n.photo or n.attachment else split_message(n.text)
            markup = notice_markup(n.reply_markup)
            timeout = max(1, round(self.settings.request_timeout))
            try:
                for index in range(n.parts_sent, len(parts)):
                    await self._throttle(n.chat_id)
                    last = index == len(parts) - 1
                    if n.copy_message_id:
                        sent = await self.bot.copy_message(
                            n.chat_id, n.copy_from_chat_id, n.copy_message_id, caption=parts[index] or None,
                            reply_markup=markup, request_timeout=timeout)
                    elif n.photo:
                        sent = await self.bot.send_photo(
                            n.chat_id, BufferedInputFile(n.photo, "chart.png"), caption=parts[index] or None,
                            reply_markup=markup, request_timeout=timeout)
                    elif n.attachment:
                        sent = await self.bot.send_document(
                            n.chat_id, BufferedInputFile(n.attachment, n.attachment_name or "file"),
                            caption=parts[index] or None, reply_markup=markup, request_timeout=timeout)
                    else:
                        sent = await self.bot.send_message(
                            n.chat_id, parts[index], reply_markup=markup if last else None, request_timeout=timeout)
                    n.parts_sent = index + 1
                    n.telegram_message_id = sent.message_id
                    if last:
                        n.status = NotificationStatus.SENT
                        n.sent_at = self.clock.now()
                        n.last_error = None
                    await session.commit()
            except _Stopping:  # not handed over: the row goes back to the queue as it was
                n.status = NotificationStatus.PENDING
                n.attempts -= 1
            except TelegramRetryAfter as error:
                self._paused_until = max(self._paused_until, time.monotonic() + error.retry_after)
                log.warning("Telegram asks to wait %s s", error.retry_after)
                n.status = NotificationStatus.PENDING
                n.attempts -= 1  # flood control is not the message's fault
                n.next_attempt_at = self.clock.now() + timedelta(seconds=error.retry_after)
                n.last_error = str(error)[:300]
            except TelegramForbiddenError as error:
                await self._unreachable(session, n, str(error))
            except TelegramBadRequest as error:
                if any(reason in error.message for reason in UNREACHABLE_ERRORS):
                    await self._unreachable(session, n, str(error))
                else:
                    log.error("Telegram refused notification %s: %s", n.id, error.message)
                    n.status = NotificationStatus.FAILED
                    n.last_error = str(error)[:300]
            except (TelegramServerError, TelegramNetworkError, asyncio.TimeoutError, TelegramAPIError) as error:
                n.last_error = f"{type(error).__name__}: {error}"[:300]
                if n.attempts >= self.settings.max_attempts or not isinstance(
                        error, (TelegramServerError, TelegramNetworkError, asyncio.TimeoutError)):
                    log.error("giving up notification %s after %d attempts: %s", n.id, n.attempts, n.last_error)
                    n.status = NotificationStatus.FAILED
                else:
                    n.status = NotificationStatus.PENDING
                    n.next_attempt_at = self.clock.now() + self._backoff(n.attempts)
            await session.commit()

    async def _unreachable(self, session: AsyncSession, n: Notification, error: str) -> None:
        log.info("notification %s: its person cannot be reached (%s)", n.id, type(error).__name__)
        await mark_unreachable(session, n.chat_id, self.clock.now(), error)
        n.status = NotificationStatus.UNREACHABLE
        n.last_error = error[:300]
