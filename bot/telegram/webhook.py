"""Webhook mode: an aiohttp server per worker process takes Telegram's POSTs at WEBHOOK_PATH, checks
the secret header, handles the update before answering (so Telegram retries what failed) and answers
`GET /health`. With one worker it listens on WEBHOOK_HOST:WEBHOOK_PORT itself.

With several, the parent process listens there instead (`UpdateRouter`) and passes each update to the
worker of its person — the Telegram user id modulo the number of workers — over a Unix socket. So one
person's updates are always handled by one worker, in order: what is kept in a worker's memory on
purpose (survey answers in progress, the onboarding dialog before consent) stays with the person, and
no two workers handle one person's dialog at once. Each update id is still handled once
(`UpdateOnceMiddleware`: Telegram may deliver an update twice; one a worker died with in flight is
handled by the worker's next start); on PostgreSQL one worker leads the scheduler and the sender
(advisory lock).
"""
from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import secrets
import signal
import tempfile
from datetime import timedelta
from pathlib import Path

import aiohttp
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy import delete, text

from bot import logs
from bot.app import BotApp
from bot.services import survey_mix
from bot.settings import Settings, WebhookSettings, load_settings
from bot.telegram.menus import set_default_menu
from bot.waits import wait_set
from db.models import ProcessedUpdate

log = logging.getLogger(__name__)
HEALTH_PATH = "/health"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
KEEP_UPDATE_IDS = timedelta(days=1)  # Telegram keeps an undelivered update at most a day


def is_local(request: web.Request) -> bool:
    """Asked from this host: over loopback, or over the router's Unix socket (which has no address)."""
    remote = request.remote
    return not remote or remote == "::1" or remote.startswith("127.")


def create_web_app(app: BotApp) -> web.Application:
    settings = app.settings.webhook
    web_app = web.Application()
    secret = settings.secret.get_secret_value() if settings.secret else None
    if secret is None:  # WebhookSettings refuses this already; a worker never listens without one
        raise RuntimeError("WEBHOOK_SECRET must be set in webhook mode")
    SimpleRequestHandler(dispatcher=app.dispatcher, bot=app.bot, secret_token=secret,
                         handle_in_background=False).register(web_app, path=settings.path)

    async def health(request: web.Request) -> web.Response:
        try:
            async with app.sessionmaker() as session:
                await session.execute(text("SELECT 1"))
            database = "ok"
        except Exception as error:  # noqa: BLE001 - reported, not raised
            database = f"error: {type(error).__name__}"
        body: dict = {"status": "ok" if database == "ok" else "degraded"}
        if is_local(request):  # the details are the operator's
            body |= {"database": database, "pid": os.getpid(), "leader": app.backbone.leading.is_set()}
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


async def serve(app: BotApp, *, register: bool, stop: asyncio.Event | None = None,
                unix_path: str | None = None) -> None:
    """One worker until `stop` is set (or SIGTERM/SIGINT when none is given), on WEBHOOK_HOST:PORT or,
    behind an `UpdateRouter`, on the Unix socket `unix_path`. The first worker registers the webhook."""
    settings = app.settings.webhook
    stop = stop or _signal_event()
    runner = web.AppRunner(create_web_app(app), handle_signals=False)
    await runner.setup()
    try:
        site: web.BaseSite = (web.UnixSite(runner, unix_path) if unix_path
                              else web.TCPSite(runner, settings.host, settings.port))
        await site.start()
        if register:
            await set_default_menu(app.bot, app.i18n)
            await app.bot.set_webhook(
                settings.url or "", secret_token=settings.secret.get_secret_value() if settings.secret else None,
                allowed_updates=app.dispatcher.resolve_used_update_types(), drop_pending_updates=False)
            log.info("webhook set to %s", settings.url)
        log.info("worker %s listening on %s", os.getpid(), unix_path or f"{settings.host}:{settings.port}{settings.path}")
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


def update_user(update: dict) -> int | None:
    """The Telegram user an update comes from (message, callback query, chat member change, …)."""
    for value in update.values():
        if isinstance(value, dict):
            who = value.get("from") or value.get("user")
            if isinstance(who, dict) and isinstance(who.get("id"), int):
                return who["id"]
    return None


class UpdateRouter:
    """The public face of several workers: each update goes to its person's worker (see the module)."""

    def __init__(self, settings: WebhookSettings, sockets: list[str]) -> None:
        self.settings = settings
        self.sockets = sockets
        self.secret = settings.secret.get_secret_value() if settings.secret else None
        self.clients: list[aiohttp.ClientSession] = []

    def worker_for(self, update: dict) -> int:
        user = update_user(update)
        key = user if user is not None else update.get("update_id", 0)
        return key % len(self.sockets) if isinstance(key, int) else 0

    def app(self) -> web.Application:
        web_app = web.Application()
        web_app.router.add_post(self.settings.path, self.post)
        web_app.router.add_get(HEALTH_PATH, self.health)
        web_app.on_startup.append(self._open)
        web_app.on_cleanup.append(self._close)
        return web_app

    async def _open(self, _: web.Application) -> None:
        timeout = aiohttp.ClientTimeout(total=120)  # a worker answers when it has handled the update
        self.clients = [aiohttp.ClientSession(connector=aiohttp.UnixConnector(path=path), timeout=timeout)
                        for path in self.sockets]

    async def _close(self, _: web.Application) -> None:
        for client in self.clients:
            await client.close()

    async def post(self, request: web.Request) -> web.Response:
        if self.secret is None or not secrets.compare_digest(request.headers.get(SECRET_HEADER, ""), self.secret):
            return web.Response(status=401)
        body = await request.read()
        try:
            update = json.loads(body)
        except ValueError:
            return web.Response(status=400)
        if not isinstance(update, dict):
            return web.Response(status=400)
        headers = {"Content-Type": request.headers.get("Content-Type", "application/json")}
        if self.secret is not None:
            headers[SECRET_HEADER] = self.secret
        try:
            async with self.clients[self.worker_for(update)].post(
                    f"http://worker{self.settings.path}", data=body, headers=headers) as answer:
                payload = await answer.read()
                kept = {k: v for k, v in answer.headers.items() if k.lower() == "content-type"}
                return web.Response(status=answer.status, body=payload, headers=kept)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            log.warning("worker for update %s unavailable: %s", update.get("update_id"), error)
            return web.Response(status=503)  # Telegram delivers it again later

    async def health(self, request: web.Request) -> web.Response:
        workers = []
        for client in self.clients:
            try:
                async with client.get(f"http://worker{HEALTH_PATH}") as answer:
                    workers.append(await answer.json() if answer.status in (200, 503) else {"status": answer.status})
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                workers.append({"status": f"down: {type(error).__name__}"})
        healthy = all(worker.get("status") == "ok" for worker in workers)
        body: dict = {"status": "ok" if healthy else "degraded"}
        if is_local(request):
            body["workers"] = workers
        return web.json_response(body, status=200 if healthy else 503)


async def route(settings: WebhookSettings, sockets: list[str], stop: asyncio.Event | None = None) -> None:
    """The router on WEBHOOK_HOST:WEBHOOK_PORT until `stop` (or SIGTERM/SIGINT)."""
    stop = stop or _signal_event()
    runner = web.AppRunner(UpdateRouter(settings, sockets).app(), handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.host, settings.port).start()
        log.info("routing %s:%s%s to %d workers", settings.host, settings.port, settings.path, len(sockets))
        await stop.wait()
    finally:
        await runner.cleanup()


def _worker(index: int, unix_path: str) -> None:
    settings = load_settings()
    logs.configure(settings.log_level)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the parent stops the workers
    app = BotApp.create(settings, worker=index, serving=True)
    asyncio.run(serve(app, register=index == 0, unix_path=unix_path))


def run_workers(settings: Settings) -> None:
    """WEBHOOK_WORKERS processes behind the router; a worker that dies is started again; SIGTERM/SIGINT
    stops them all."""
    if settings.webhook.workers == 1:
        app = BotApp.create(settings, serving=True)
        asyncio.run(serve(app, register=True))
        return
    # the workers seal anonymous answers with one key (bot/services/survey_mix.py): this process's, passed
    # in their environment, so a worker started again still opens what it sealed before
    os.environ[survey_mix.KEY_ENV] = survey_mix.current().key.hex()
    sockets_dir = Path(tempfile.mkdtemp(prefix="nastavnik-workers-"))
    sockets = [str(sockets_dir / f"worker-{n}.sock") for n in range(settings.webhook.workers)]
    context = multiprocessing.get_context("spawn")

    def start(n: int) -> multiprocessing.process.BaseProcess:
        worker = context.Process(target=_worker, args=(n, sockets[n]), name=f"nastavnik-worker-{n}")
        worker.start()
        return worker

    workers = [start(n) for n in range(len(sockets))]

    async def supervise(stop: asyncio.Event) -> None:
        while not stop.is_set():
            for n, worker in enumerate(workers):
                if not worker.is_alive() and not stop.is_set():
                    log.warning("worker %d (pid %s) ended with %s: starting it again", n, worker.pid, worker.exitcode)
                    workers[n] = start(n)
            await wait_set(stop, 1)

    async def main() -> None:
        stop = _signal_event()
        watcher = asyncio.create_task(supervise(stop))
        try:
            await route(settings.webhook, sockets, stop)
        finally:
            stop.set()
            await watcher

    try:
        asyncio.run(main())
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()  # SIGTERM: each worker stops cleanly
        for worker in workers:
            worker.join()
        for path in sockets:
            Path(path).unlink(missing_ok=True)
        sockets_dir.rmdir()
