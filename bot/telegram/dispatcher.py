"""The one dispatcher factory, used by `python -m bot` and by the tests alike."""
from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatType, ParseMode
from aiogram.exceptions import TelegramForbiddenError
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import ErrorEvent, LinkPreviewOptions
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.handlers import (
    approvals,
    calendar,
    catalogue,
    common,
    consent,
    coordinators,
    documents,
    exports,
    help_requests,
    invites,
    journal,
    meetings,
    mentorships,
    onboarding,
    practices,
    profile,
    registry,
    speed_sessions,
    summary,
    surveys,
)
from bot.handlers.common import fallback
from bot.handlers.mentorships import absence as program_absence
from bot.handlers.mentorships import corrections as program_corrections
from bot.handlers.mentorships import evaluation as program_evaluation
from bot.handlers.mentorships import selection as mentor_selection
from bot.handlers.mentorships import self_choice as mentor_choice
from bot.i18n import I18n
from bot.logs import exception_summary
from bot.runtime.backbone import NotificationBackbone
from bot.services.clock import Clock
from bot.services.notify import mark_unreachable
from bot.settings import Settings
from bot.telegram.middlewares import (
    ActorMiddleware,
    DbSessionMiddleware,
    DomainErrorMiddleware,
    OwnChatOnly,
    UpdateOnceMiddleware,
)
from bot.telegram.retry import AnsweredCallbacks, ReplyRetry
from bot.telegram.storage import create_storage

log = logging.getLogger("nastavnik.errors")


def create_bot(settings: Settings, answered: AnsweredCallbacks | None = None) -> Bot:
    """The Bot API client: replies retried through short troubles; with `answered`, the button presses
    it answered are remembered (see `_on_error`)."""
    if settings.bot.token is None:
        raise ValueError("BOT_TOKEN is not set")
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram.api_base),
                             timeout=settings.telegram.reply_timeout)
    session.middleware(ReplyRetry(settings.telegram.reply_retries, settings.telegram.reply_wait_max))
    if answered is not None:
        session.middleware(answered)
    return Bot(
        token=settings.bot.token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)),
    )


async def _on_error(event: ErrorEvent, i18n: I18n, sessionmaker: async_sessionmaker[AsyncSession],
                    clock: Clock, answered_callbacks: AnsweredCallbacks | None = None) -> None:
    """Log an unexpected failure and tell the user, without letting it escape."""
    update = event.update
    if isinstance(event.exception, TelegramForbiddenError):
        # they blocked the bot between writing and our answer: nothing to tell them, mark them
        user = update.event.from_user if hasattr(update.event, "from_user") else None
        log.info("update %s: the user blocked the bot", update.update_id)
        if user is not None:
            async with sessionmaker() as session:
                await mark_unreachable(session, user.id, clock.now(), str(event.exception))
                await session.commit()
        return
    log.error("update %s failed\n%s", update.update_id, exception_summary(event.exception))
    t = i18n.get(None)
    try:
        if update.message is not None:
            await update.message.answer(t("error.internal"))
        elif update.callback_query is not None:
            query = update.callback_query
            if answered_callbacks is not None and answered_callbacks.answered(query.id):
                # the press was answered before the failure: a second answer would be refused
                await query.bot.send_message(query.from_user.id, t("error.internal"))  # type: ignore[union-attr]
            else:
                await query.answer(t.plain("error.internal"), show_alert=True)
    except Exception:  # noqa: BLE001 - the reply is a courtesy; the failure is logged above
        log.warning("could not tell the user about the failure", exc_info=True)


def routers() -> list[Router]:
    """A fresh router per feature for every dispatcher (tests build many). common first (/cancel and /help
    work inside any dialog); the help requests' relay takes free text, so it comes after every dialog;
    the fallback last."""
    features = [common, calendar, onboarding, profile, consent, invites, registry, catalogue, mentorships,
                program_corrections, program_evaluation, program_absence, mentor_selection, mentor_choice, approvals,
                journal, meetings, speed_sessions, surveys, summary, coordinators, exports, documents, practices,
                help_requests, fallback]
    return [feature.create_router() for feature in features]


def create_dispatcher(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    clock: Clock | None = None,
    storage: BaseStorage | None = None,
    i18n: I18n | None = None,
    backbone: NotificationBackbone | None = None,
    answered_callbacks: AnsweredCallbacks | None = None,
    worker: int = 0,
) -> Dispatcher:
    """The dispatcher with every router and middleware. With a `backbone`, the scheduler and the
    notification sender start and stop with it, and updates that queued notifications wake the sender.
    `worker` is the webhook worker's index behind the router (its claims on update ids)."""
    i18n = i18n or I18n(default=settings.defaults.locale)
    isolation = None
    if storage is None:
        storage, isolation = create_storage(settings.redis.url, settings.db.url,
                                            shared=bool(settings.webhook.url) and settings.webhook.workers > 1)
    dp = Dispatcher(
        storage=storage,
        events_isolation=isolation,
        settings=settings,
        sessionmaker=sessionmaker,
        clock=clock or Clock(),
        i18n=i18n,
        backbone=backbone,
        answered_callbacks=answered_callbacks,
    )
    # The bot works in private chats only; in groups it stays silent.
    dp.message.filter(F.chat.type == ChatType.PRIVATE)
    dp.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    dp.update.outer_middleware(OwnChatOnly())
    if settings.webhook.url:
        dp.update.outer_middleware(UpdateOnceMiddleware(sessionmaker, clock or Clock(), worker))
    sessions = DbSessionMiddleware(sessionmaker, backbone.wake if backbone else None)
    dp.update.outer_middleware(sessions)
    dp.shutdown.register(sessions.drain)  # first: the updates in flight finish before anything stops
    if backbone is not None:
        dp.startup.register(backbone.start)
        dp.shutdown.register(backbone.stop)
    dp.update.outer_middleware(ActorMiddleware(i18n))
    dp.message.middleware(DomainErrorMiddleware())
    dp.callback_query.middleware(DomainErrorMiddleware())
    dp.include_routers(*routers())
    dp.errors.register(_on_error)
    return dp
