"""Webhook mode end to end: Telegram (the emulator) POSTs updates with the secret header; a wrong or
missing secret is refused; an update delivered twice is handled once; /health answers; two workers
behind the router (PostgreSQL) handle every update exactly once, agree on one leader, and keep each
person with one worker — a survey is answered to the end across them; an update in flight in a worker
that dies is handled by the worker's next start when Telegram delivers it again."""
from __future__ import annotations

import asyncio
import os
import tempfile
from contextlib import asynccontextmanager
from unittest import mock

import aiohttp
import pytest
from aiohttp.test_utils import make_mocked_request
from sqlalchemy import select, update

from bot.app import BotApp
from bot.services.organizations import create_organization
from bot.settings import Settings
from bot.telegram.webhook import UpdateRouter, is_local, route, serve, update_user
from db.models import Invite, ProcessedUpdate, Role
from tests.emulator import ScriptedUser
from tests.emulator.server import TelegramError
from tests.factories import SCHOOL_OFFSETS, SWEEP_BASE, arrange_sweep_school, cli_env, open_school_chats, run_cli, seed
from tests.helpers import free_port

SECRET = "s3cret_Token-42"


def webhook_settings(emulator, db_url: str, port: int) -> Settings:
    return Settings.explicit(token=emulator.token, db_url=db_url, api_base=emulator.base_url, webhook={
        "url": f"http://127.0.0.1:{port}/telegram", "secret": SECRET, "host": "127.0.0.1", "port": port})


@asynccontextmanager
async def workers(settings: Settings, clock, count: int = 1):
    """`count` workers in this process: one on the port, or several on Unix sockets behind the router."""
    apps = [BotApp.create(settings, clock=clock, worker=n) for n in range(count)]
    stop = asyncio.Event()
    if count == 1:
        tasks = [asyncio.create_task(serve(apps[0], register=True, stop=stop))]
    else:
        sockets = [os.path.join(tempfile.mkdtemp(), f"w{n}.sock") for n in range(count)]
        tasks = [asyncio.create_task(serve(app, register=n == 0, stop=stop, unix_path=path))
                 for n, (app, path) in enumerate(zip(apps, sockets, strict=True))]
        tasks.append(asyncio.create_task(route(settings.webhook, sockets, stop)))
    try:
        yield apps
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 15)


async def _until(predicate, timeout: float = 15) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_webhook_secret_duplicates_and_health(emulator, db, db_url, clock, error_log):
    port = free_port()
    settings = webhook_settings(emulator, db_url, port)
    async with workers(settings, clock):
        await _until(lambda: emulator.webhook is not None)
        assert emulator.webhook == {"url": f"http://127.0.0.1:{port}/telegram", "secret": SECRET}
        guest = ScriptedUser(emulator, 3100, "Гость")
        reply = await guest.send("/start")
        assert "только по приглашениям" in reply.text
        update_id, update = max(emulator.webhook_updates.items())

        async with aiohttp.ClientSession() as client:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with client.post(emulator.webhook["url"], json={**update, "update_id": update_id + 100},
                                       headers=headers) as response:
                    assert response.status == 401
            async with client.get(f"http://127.0.0.1:{port}/health") as response:
                assert response.status == 200
                health = await response.json()
        assert health["status"] == "ok" and health["database"] == "ok"
        assert len(guest.messages()) == 1  # the forged posts were not handled

        await emulator.redeliver(update_id)  # Telegram delivers it again
        await asyncio.sleep(0.3)
        assert len(guest.messages()) == 1
        assert [status for uid, status in emulator.webhook_deliveries if uid == update_id] == [200, 200]
    assert [r.getMessage() for r in error_log.records] == []
    assert emulator.rejections == []


async def test_a_claim_left_by_an_earlier_start_of_the_worker_is_taken_over(emulator, db, db_url, clock, error_log):
    """A claim of this worker's index made by another start of it (a process that died with the update in
    flight) does not stop the update; a claim of another worker's index, or of this start, does."""
    port = free_port()
    settings = webhook_settings(emulator, db_url, port)

    async def claimed_by(update_id: int, holder: str | None = "") -> str | None:
        async with db() as session:
            if holder != "":
                await session.execute(update(ProcessedUpdate).where(ProcessedUpdate.update_id == update_id)
                                      .values(claimed_by=holder))
                await session.commit()
            return await session.scalar(select(ProcessedUpdate.claimed_by)
                                        .where(ProcessedUpdate.update_id == update_id))

    async with workers(settings, clock):
        await _until(lambda: emulator.webhook is not None)
        guest = ScriptedUser(emulator, 3150, "Гость")
        await guest.send("/start")
        update_id = max(emulator.webhook_updates)
        own = await claimed_by(update_id)
        assert own is not None and own.startswith("0:")

        for holder in ("1:another-worker", None):  # handled (or in hand) by the worker of index 1; a claim
            await claimed_by(update_id, holder)      # made before claims were named: skipped
            await emulator.redeliver(update_id)
            await asyncio.sleep(0.3)
            assert len(guest.messages()) == 1

        await claimed_by(update_id, "0:an-earlier-start")  # this index, a process that is gone
        await emulator.redeliver(update_id)
        await _until(lambda: len(guest.messages()) == 2)
        assert "только по приглашениям" in guest.messages()[1].text
        assert await claimed_by(update_id) == own  # taken over in this start's name

        await emulator.redeliver(update_id)  # and now it is this start's: once
        await asyncio.sleep(0.3)
        assert len(guest.messages()) == 2
    assert [r.getMessage() for r in error_log.records] == []
    assert emulator.rejections == []


async def test_two_workers_behind_the_router_handle_each_update_once(emulator, db, db_url, clock, error_log):
    if db_url.startswith("sqlite"):
        pytest.skip("several workers need PostgreSQL (one leader by advisory lock)")
    port = free_port()
    settings = webhook_settings(emulator, db_url, port)
    async with workers(settings, clock, count=2) as apps:
        await _until(lambda: emulator.webhook is not None)
        await _until(lambda: sum(app.backbone.leading.is_set() for app in apps) == 1)
        guests = [ScriptedUser(emulator, 3200 + n, f"Гость {n}") for n in range(12)]
        await asyncio.gather(*(guest.send("/start") for guest in guests))
        for update_id in list(emulator.webhook_updates):
            await emulator.redeliver(update_id)
        await asyncio.sleep(0.3)
        for guest in guests:
            assert [m.text for m in guest.messages()] == [guest.messages()[0].text], guest.first_name
            assert "только по приглашениям" in guest.messages()[0].text
        assert sum(app.backbone.leading.is_set() for app in apps) == 1
    assert [r.getMessage() for r in error_log.records] == []


def test_the_router_keeps_a_person_with_one_worker():
    router = UpdateRouter(Settings.explicit(token="1:a", db_url="sqlite+aiosqlite://", api_base="http://x").webhook,
                          ["a", "b", "c"])
    message = {"update_id": 7, "message": {"message_id": 1, "from": {"id": 1001}, "chat": {"id": 1001}}}
    press = {"update_id": 8, "callback_query": {"id": "q", "from": {"id": 1001}, "data": "x"}}
    assert update_user(message) == update_user(press) == 1001
    assert router.worker_for(message) == router.worker_for(press) == 1001 % 3
    assert router.worker_for({"update_id": 10, "poll": {"id": "p"}}) == 10 % 3  # no person: spread by id


async def test_a_survey_is_answered_to_the_end_across_two_workers(emulator, db, db_url, clock, error_log):
    """Answers in progress live in a worker's memory only; the router keeps the person with that worker."""
    if db_url.startswith("sqlite"):
        pytest.skip("several workers need PostgreSQL")
    await arrange_sweep_school(db)  # a school with an open survey of one text question for its mentees e2, e3, e4
    open_school_chats(emulator, SWEEP_BASE)
    settings = webhook_settings(emulator, db_url, free_port())
    async with workers(settings, clock, count=2):
        await _until(lambda: emulator.webhook is not None)
        respondents = [ScriptedUser(emulator, SWEEP_BASE + SCHOOL_OFFSETS[key], name)
                       for key, name in [("e2", "Борис"), ("e3", "Вера"), ("e4", "Глеб")]]
        for person in respondents:
            await person.send("/surveys")
            assert "Что улучшить?" in (await person.press(lambda text: "Свой" in text)).text
            assert "Проверьте ответы" in (await person.send(f"Больше практики, {person.first_name}")).text
            assert "Спасибо" in (await person.press("✅ Отправить ответы")).text
    assert [r.getMessage() for r in error_log.records] == []


async def _health(port: int) -> list[dict]:
    async with aiohttp.ClientSession() as client:
        try:
            async with client.get(f"http://127.0.0.1:{port}/health") as response:
                return (await response.json())["workers"]
        except (aiohttp.ClientError, KeyError, ValueError):
            return [{}, {}]


async def test_python_m_bot_run_starts_webhook_workers_and_stops_on_sigterm(emulator, db_url, tmp_path):
    """The real thing: `python -m bot run` with WEBHOOK_WORKERS=2 (PostgreSQL); a worker killed is started
    again; SIGTERM at the end. On SQLite several workers are refused in one line."""
    import os
    import signal
    import sys

    port = free_port()
    webhook = {"WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram", "WEBHOOK_SECRET": SECRET,
               "WEBHOOK_HOST": "127.0.0.1", "WEBHOOK_PORT": str(port), "WEBHOOK_WORKERS": "2",
               "BOT_TOKEN": emulator.token, "TELEGRAM_API_BASE": emulator.base_url}
    if db_url.startswith("sqlite"):
        code, _, err = await run_cli(tmp_path, "run", **webhook)
        assert code == 2 and "several webhook workers need PostgreSQL" in err and "Traceback" not in err
        return
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path,
        env={**cli_env(tmp_path, **webhook), "DATABASE_URL": db_url, "PYTHONPATH": os.getcwd()},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await _until(lambda: emulator.webhook is not None, timeout=90)
        async with aiohttp.ClientSession() as client:
            for _ in range(200):  # both workers up: the port answers
                try:
                    async with client.get(f"http://127.0.0.1:{port}/health") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        guests = [ScriptedUser(emulator, 3300 + n, f"Гость {n}") for n in range(6)]
        await asyncio.gather(*(guest.send("/start") for guest in guests))
        for guest in guests:
            assert len(guest.messages()) == 1 and "только по приглашениям" in guest.messages()[0].text

        # a worker dies (SIGKILL): the router starts it again, and its people are answered again
        pids = [w["pid"] for w in await _health(port)]
        os.kill(pids[1], signal.SIGKILL)
        for _ in range(600):
            workers = await _health(port)
            if all(w.get("status") == "ok" for w in workers) and workers[1].get("pid") not in (None, pids[1]):
                break
            await asyncio.sleep(0.1)
        assert workers[0]["pid"] == pids[0] and workers[1]["pid"] != pids[1], workers
        later = [ScriptedUser(emulator, 3400 + n, f"Гость {n}") for n in range(6)]
        await asyncio.gather(*(guest.send("/start") for guest in later))
        for guest in later:
            assert len(guest.messages()) == 1 and "только по приглашениям" in guest.messages()[0].text

        # a worker dies with an update in flight (its answer hangs in "Telegram"): the update is handled
        # by its next start when Telegram delivers it again, and answered once
        caught = ScriptedUser(emulator, 3501, "Гость")  # 3501 % 2: the worker of index 1
        hung, release = asyncio.Event(), asyncio.Event()

        async def hang_for_caught(method: str, params: dict) -> TelegramError | None:
            if method == "sendMessage" and str(params.get("chat_id")) == str(caught.id) and not release.is_set():
                hung.set()
                await release.wait()
                return TelegramError(502, "Bad Gateway")  # the dead worker's request: never delivered
            return None

        emulator.fault_hook = hang_for_caught
        await emulator.push_message(caught.id, text="/start")
        await asyncio.wait_for(hung.wait(), 30)  # the worker is in the middle of it
        assert caught.messages() == []
        update_id = next(uid for uid, update in emulator.webhook_updates.items()
                         if update.get("message", {}).get("from", {}).get("id") == caught.id)
        pid = (await _health(port))[1]["pid"]
        os.kill(pid, signal.SIGKILL)
        release.set()
        for _ in range(600):
            workers = await _health(port)
            if all(w.get("status") == "ok" for w in workers) and workers[1].get("pid") not in (None, pid):
                break
            await asyncio.sleep(0.1)
        await emulator.redeliver(update_id)  # Telegram's retry (the emulator's own ones ended while it was down)
        await _until(lambda: len(caught.messages()) >= 1, timeout=30)
        await emulator.redeliver(update_id)  # and once more: now handled
        await asyncio.sleep(0.5)
        assert len(caught.messages()) == 1 and "только по приглашениям" in caught.messages()[0].text
        assert 503 in [status for uid, status in emulator.webhook_deliveries if uid == update_id]  # it was down
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert "Traceback" not in err.decode()


async def test_webhook_mode_refuses_to_start_without_a_secret(tmp_path, emulator):
    code, out, err = await run_cli(tmp_path, "run", BOT_TOKEN=emulator.token, TELEGRAM_API_BASE=emulator.base_url,
                                WEBHOOK_URL="https://bot.example.org/telegram")
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "WEBHOOK_SECRET must be set in webhook mode" in err
    assert emulator.webhook is None  # nothing was registered, nothing listened
    assert Settings.explicit(token="1:a", db_url="sqlite+aiosqlite://", api_base="http://x").webhook.host == "127.0.0.1"


async def test_a_forged_update_from_another_chat_is_dropped(emulator, db, db_url, clock, error_log):
    """An update with the right secret but a private chat that is not its sender's (the curator's id, in
    someone else's chat) is not executed: no invite is made, nothing is sent to that chat."""
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 40", "Europe/Moscow")).id
    await seed(db, org_id, 4000, "Куратор Кира", Role.CURATOR)
    port = free_port()
    settings = webhook_settings(emulator, db_url, port)
    async with workers(settings, clock):
        await _until(lambda: emulator.webhook is not None)
        emulator.open_chat(4000, "Кира")
        emulator.open_chat(4999, "Чужой")
        forged = {"update_id": 777, "message": {
            "message_id": 1, "date": 1764000000, "text": "/invite наставник 500 14",
            "chat": {"id": 4999, "type": "private", "first_name": "Чужой"},
            "from": {"id": 4000, "is_bot": False, "first_name": "Кира"}}}
        async with aiohttp.ClientSession() as client:
            async with client.post(emulator.webhook["url"], json=forged,
                                   headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
                assert response.status == 200
            async with client.get(f"http://127.0.0.1:{port}/health") as response:
                assert (await response.json())["database"] == "ok"  # asked from this host: the details
        assert emulator.chat_messages(4999) == [] and emulator.chat_messages(4000) == []
        async with db() as session:
            assert (await session.scalars(select(Invite))).all() == []
        # the same command from her own chat works
        reply = await ScriptedUser(emulator, 4000, "Кира").send("/invite наставник 5 14")
        assert "t.me/" in reply.text
    assert [r.getMessage() for r in error_log.records] == []


def test_health_tells_details_only_to_this_host():
    def asked_from(peer):
        transport = mock.Mock()
        transport.get_extra_info.side_effect = lambda name, default=None: peer if name == "peername" else default
        return make_mocked_request("GET", "/health", transport=transport)

    assert is_local(asked_from(("127.0.0.1", 5000))) and is_local(asked_from(("::1", 5000, 0, 0)))
    assert not is_local(asked_from(("203.0.113.7", 5000)))
