"""The running application: engine, bot and dispatcher built from settings."""
from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseStorage
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import speedups
from bot.i18n import I18n
from bot.runtime.backbone import NotificationBackbone
from bot.services.clock import Clock
from bot.settings import Settings
from bot.telegram.dispatcher import create_bot, create_dispatcher
from bot.telegram.menus import set_default_menu
from bot.telegram.retry import AnsweredCallbacks
from db.engine import create_engine, create_sessionmaker

log = logging.getLogger(__name__)


@dataclass
class BotApp:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    bot: Bot
    dispatcher: Dispatcher
    backbone: NotificationBackbone

    @classmethod
    def create(cls, settings: Settings, *, clock: Clock | None = None, storage: BaseStorage | None = None,
               worker: int = 0, serving: bool = False) -> BotApp:
        """`serving`: this process will serve updates until it stops (`python -m bot run`, a webhook
        worker), not a test's or a tool's app."""
        clock = clock or Clock()
        engine = create_engine(settings.db.url, echo=settings.db.echo)
        sessionmaker = create_sessionmaker(engine)
        answered = AnsweredCallbacks()
        bot = create_bot(settings, answered)
        i18n = I18n(default=settings.defaults.locale)
        backbone = NotificationBackbone(settings, engine, sessionmaker, bot, clock, i18n)
        dispatcher = create_dispatcher(settings, sessionmaker, clock=clock, storage=storage, backbone=backbone,
                                       i18n=i18n, answered_callbacks=answered, worker=worker)
        if settings.speedups:
            speedups.apply(dispatcher, engine, serving=serving)
        return cls(settings, engine, sessionmaker, bot, dispatcher, backbone)

    @property
    def i18n(self) -> I18n:
        return self.dispatcher["i18n"]

    async def run_polling(self, *, handle_as_tasks: bool = True, handle_signals: bool = True,
                          polling_timeout: int = 10) -> None:
        """Long polling until stopped (SIGINT/SIGTERM or `stop()`); always releases what it holds."""
        try:
            await set_default_menu(self.bot, self.i18n)
            await self.dispatcher.start_polling(
                self.bot,
                handle_as_tasks=handle_as_tasks,
                handle_signals=handle_signals,
                polling_timeout=polling_timeout,
                allowed_updates=self.dispatcher.resolve_used_update_types(),
            )
        finally:
            await self.close()

    async def close(self) -> None:
        """Release what the app holds: the Bot API session, the dialog storage, the database."""
        await self.bot.session.close()
        await self.dispatcher.storage.close()
        await self.engine.dispose()

    async def stop(self) -> None:
        with contextlib.suppress(RuntimeError):  # not polling (yet): nothing to stop
            await self.dispatcher.stop_polling()
