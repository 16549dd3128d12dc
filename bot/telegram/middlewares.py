"""Outer middlewares: a database session per update, the acting person and their language;
an inner one that turns domain errors into polite answers."""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import I18n, Translator
from bot.services.actor import load_actor
from bot.services.errors import DomainError
from bot.services.notify import WAKE_FLAG, mark_reachable
from bot.waits import wait_set
from db.models import ProcessedUpdate

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
log = logging.getLogger(__name__)
DRAIN_SECONDS = 20.0


class OwnChatOnly(BaseMiddleware):
    """A private chat is the sender's own: Telegram never sends a user's message or button press from
    someone else's private chat, so such an update is forged (a webhook post, a compromised Bot API
    server) and is dropped before anything reads or writes in that user's name."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        if event.message is not None:
            chat, sender = event.message.chat, event.message.from_user
        elif event.callback_query is not None and event.callback_query.message is not None:
            chat, sender = event.callback_query.message.chat, event.callback_query.from_user
        else:
            return await handler(event, data)
        if chat.type == ChatType.PRIVATE and (sender is None or chat.id != sender.id):
            log.warning("update %s dropped: a private chat that is not its sender's", event.update_id)
            return None
        return await handler(event, data)


class DbSessionMiddleware(BaseMiddleware):
    """A session per update; when the update queued notifications, the sender is woken. It also counts
    the updates in flight, so that stopping waits for them (`drain`) before the database and the Bot API
    session are closed under them (aiogram does not wait for updates it handles as tasks)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 wake_sender: Callable[[], None] | None = None) -> None:
        self.sessionmaker = sessionmaker
        self.wake_sender = wake_sender
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self._in_flight += 1
        self._idle.clear()
        try:
            async with self.sessionmaker() as session:
                data["session"] = session
                try:
                    return await handler(event, data)
                finally:
                    if session.info.pop(WAKE_FLAG, False) and self.wake_sender is not None:
                        self.wake_sender()
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    async def drain(self) -> None:
        """Wait (at most DRAIN_SECONDS) for the updates being handled to finish."""
        if self._in_flight:
            log.info("waiting for %d update(s) in flight", self._in_flight)
            await wait_set(self._idle, DRAIN_SECONDS)


class UpdateOnceMiddleware(BaseMiddleware):
    """Webhook mode: an update id is handled once, whichever worker gets it and however often Telegram
    delivers it. The id is claimed before handling, in the name of this worker process (its index
    behind the router and a token of this start), and released if handling fails, so Telegram's retry
    of a failed update is handled.

    A claim made by an earlier start of the same worker index is taken over: the router sends an
    update to one index only, and an index has one process at a time, so such a claim belongs to a
    process that died (SIGKILL, out of memory) with the update in flight; Telegram delivers it again
    because it was never answered. (If that process had finished the update and died before the answer
    reached Telegram, it is handled a second time: at least once rather than lost.) A claim of another
    index, or of this very process, means the update is handled or in hand elsewhere: skipped."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], clock: Any, worker: int = 0) -> None:
        self.sessionmaker = sessionmaker
        self.clock = clock
        self.worker = str(worker)
        self.claimant = f"{worker}:{uuid.uuid4().hex}"

    async def _claim(self, update_id: int) -> bool:
        async with self.sessionmaker() as session:
            for _ in range(2):
                session.add(ProcessedUpdate(update_id=update_id, received_at=self.clock.now(),
                                            claimed_by=self.claimant))
                try:
                    await session.commit()
                    return True
                except IntegrityError:
                    await session.rollback()
                found = (await session.execute(select(ProcessedUpdate.claimed_by)
                                               .where(ProcessedUpdate.update_id == update_id))).first()
                if found is None:
                    continue  # released meanwhile (its handling failed): claim it afresh
                holder = found.claimed_by
                if holder is None or holder == self.claimant or holder.partition(":")[0] != self.worker:
                    return False
                taken = await session.execute(
                    update(ProcessedUpdate)
                    .where(ProcessedUpdate.update_id == update_id, ProcessedUpdate.claimed_by == holder)
                    .values(claimed_by=self.claimant, received_at=self.clock.now()))
                await session.commit()
                if taken.rowcount == 1:
                    log.warning("update %s was in flight in a worker that is gone (%s): handling it",
                                update_id, holder)
                    return True
                return False
        return False

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        update_id = getattr(event, "update_id", None)
        if update_id is None:
            return await handler(event, data)
        if not await self._claim(update_id):
            log.info("update %s delivered again: already handled", update_id)
            return None
        try:
            return await handler(event, data)
        except BaseException:
            async with self.sessionmaker() as session:
                await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.update_id == update_id,
                                                                    ProcessedUpdate.claimed_by == self.claimant))
                await session.commit()
            raise


class ActorMiddleware(BaseMiddleware):
    """Loads who is acting (`actor`) and their translator (`t`)."""

    def __init__(self, i18n: I18n) -> None:
        self.i18n = i18n

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None or user.is_bot:
            return await handler(event, data)
        actor = await load_actor(data["session"], user.id)
        if actor.unreachable and actor.person_id is not None:
            await mark_reachable(data["session"], actor.person_id)  # they wrote, so they can be written to
            actor.unreachable = False
        data["actor"] = actor
        data["t"] = self.i18n.get(actor.locale)
        return await handler(event, data)


class DomainErrorMiddleware(BaseMiddleware):
    """A service said no: tell the user why, in their language, and change nothing."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        try:
            return await handler(event, data)
        except DomainError as error:
            t: Translator = data["t"]
            text = t(error.key, **error.params)
            if isinstance(event, CallbackQuery):
                await event.answer(t.plain(error.key, **error.params)[:200], show_alert=True)
            elif isinstance(event, Message):
                await event.answer(text)
            return None
