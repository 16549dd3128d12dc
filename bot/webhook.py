"""Webhook mode: an aiohttp server per worker process takes Telegram's POSTs at WEBHOOK_PATH, checks
the secret header, handles the update before answering (so Telegram retries what failed) and answers
`GET /health`. Several workers share one port (SO_REUSEPORT); each update id is handled once
(`UpdateOnceMiddleware`); on PostgreSQL one of them leads the scheduler and the sender (advisory lock);
dialog state in Redis (REDIS_URL) lets any worker continue any dialog.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from datetime import timedelta

from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy import delete, text

from bot.app import BotApp
from bot.menus import set_default_menu
from bot.settings import Settings
from db.models import ProcessedUpdate

log = logging.getLogger(__name__)
HEALTH_PATH = "/health"
KEEP_UPDATE_IDS = timedelta(days=1)  # Telegram keeps an undelivered update at most a day


def create_web_app(app: BotApp) -> web.Application:
    settings = app.settings.webhook
    web_app = web.Application()
    secret = settings.secret.get_secret_value() if settings.secret else None
    SimpleRequestHandler(dispatcher=app.dispatcher, bot=app.bot, secret_token=secret,
                         handle_in_background=False).register(web_app, path=settings.path)

    async def health(_: web.Request) -> web.Response:
        try:
            async with app.sessionmaker() as session:
                await session.execute(text("SELECT 1"))
            database = "ok"
        except Exception as error:  # noqa: BLE001 - reported, not raised
            database = f"error: {type(error).__name__}"
        body = {"status": "ok" if database == "ok" else "degraded", "database": database, "pid": os.getpid(),
                "leader": app.backbone.leading.is_set()}
        return web.json_response(body, status=200 if database == "ok" else 503)

    async def forget_old_update_ids(_: web.Application) -> None:
        async with app.sessionmaker() as session:
            await session.execute(delete(ProcessedUpdate).where(
                ProcessedUpdate.received_at < app.backbone.clock.now() - KEEP_UPDATE_IDS))
            await session.commit()

    web_app.router.add_get(HEALTH_PATH, health)
    web_app.on_startup.append(forget_old_update_ids)
    setup_application(web_app, app.dispatcher, bot=app.bot)
    return web_app


async def serve(app: BotApp, *, register: bool, stop: asyncio.Event | None = None) -> None:
    """One worker until `stop` is set (or SIGTERM/SIGINT when none is given). The first worker
    registers the webhook with Telegram."""
    settings = app.settings.webhook
    stop = stop or _signal_event()
    runner = web.AppRunner(create_web_app(app), handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.host, settings.port, reuse_port=True)
        await site.start()
        if register:
            await set_default_menu(app.bot, app.i18n)
            await app.bot.set_webhook(
                settings.url or "", secret_token=settings.secret.get_secret_value() if settings.secret else None,
                allowed_updates=app.dispatcher.resolve_used_update_types(), drop_pending_updates=False)
            log.info("webhook set to %s", settings.url)
        log.info("worker %s listening on %s:%s%s", os.getpid(), settings.host, settings.port, settings.path)
        await stop.wait()
    finally:
        await runner.cleanup()
        await app.close()


def _signal_event() -> asyncio.Event:
    event = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, event.set)
    return event


def _worker(index: int) -> None:
    from bot.cli import load_settings

    settings = load_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(BotApp.create(settings), register=index == 0))


def run_workers(settings: Settings) -> None:
    """WEBHOOK_WORKERS processes on one port; SIGTERM/SIGINT stops them all."""
    if settings.webhook.workers == 1:
        asyncio.run(serve(BotApp.create(settings), register=True))
        return
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_worker, args=(n,), name=f"nastavnik-worker-{n}")
               for n in range(settings.webhook.workers)]
    for worker in workers:
        worker.start()

    def stop(*_: object) -> None:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()  # SIGTERM: each worker stops cleanly

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for worker in workers:
        worker.join()
