"""End to end: the bot's own replies when Telegram has trouble (429, 5xx, timeouts, a user who blocked the
bot) and when the database restarts under load. People get their answer — once — or, while the database
is away, a polite apology; nothing is lost and the bot goes on by itself."""
from __future__ import annotations

import asyncio
import itertools
import os
import shlex
import subprocess
from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from bot.services.notify import enqueue
from bot.settings import Settings
from db.models import Person
from tests.conftest import ErrorLog, pg_url, running
from tests.emulator import BotAPIEmulator, ScriptedUser
from tests.emulator.server import TelegramError, injected_fault
from tests.factories import SCHOOL_OFFSETS, open_school_chats, seed_school, wait_text

BASE = 8000
CURATOR, MENTOR, MENTEE, BLOCKER = (BASE + SCHOOL_OFFSETS[key] for key in ("curator", "m1", "e1", "e3"))
HANDLER_METHODS = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery"}


async def school(db, emulator: BotAPIEmulator) -> dict:
    _, people = await seed_school(db, "Школа под нагрузкой", "Europe/Moscow", BASE)
    open_school_chats(emulator, BASE)
    return people


async def test_replies_ride_out_429_5xx_and_timeouts_and_a_blocked_user_is_marked(emulator, db, db_url, clock,
                                                                                   error_log: ErrorLog):
    await school(db, emulator)
    injected: Counter[str] = Counter()
    requests = itertools.count(1)
    kinds = itertools.cycle(["429", "500", "timeout", "502"])

    async def faults(method: str, params: dict) -> TelegramError | None:
        """Every other request a handler makes fails once: 429 with retry_after, 5xx, or no answer in time."""
        if method not in HANDLER_METHODS or next(requests) % 2:
            return None
        kind = next(kinds)
        injected[kind] += 1
        return await injected_fault(kind, hang=1.5)

    settings = Settings.explicit(token=emulator.token, db_url=db_url, api_base=emulator.base_url,
                                 telegram={"reply_timeout": 1, "reply_retries": 3}, retry_base=0.05, retry_max=0.3,
                                 request_timeout=1, poll_interval=0.05)
    mentee, curator, mentor = (ScriptedUser(emulator, tid, name) for tid, name in
                               [(MENTEE, "Алина"), (CURATOR, "Ольга"), (MENTOR, "Наставник")])
    emulator.fault_hook = faults
    async with running(settings, clock):
        assert "Тема запроса" in (await mentee.send("/ask")).text
        assert "Опишите ситуацию" in (await mentee.press(lambda text: text.startswith("Инклюзия"))).text
        reply = await mentee.send("Как удержать внимание <класса> & не сорвать голос?")
        assert "отправлен" in reply.text
        await wait_text(mentor, "Как удержать внимание <класса> & не сорвать голос?")  # the outbox, through faults too
        assert "Реестр участников" in (await curator.send("/registry")).text
        assert "Сводка" in (await curator.send("/summary")).text

        # a mentee blocks the bot and writes once more: the reply cannot go; they are marked, nothing fails
        emulator.blocked.add(BLOCKER)
        blocker = ScriptedUser(emulator, BLOCKER, "Вера")
        assert (await blocker.send("/program")).messages == []
    emulator.fault_hook = None

    assert set(injected) == {"429", "500", "timeout", "502"} and sum(injected.values()) >= 8, injected
    # each answer came once: a failed attempt never reached the chat, a retried one did
    texts = [m.text for m in mentee.messages()]
    assert sum("отправлен" in text for text in texts) == 1 and sum("Опишите ситуацию" in t for t in texts) == 1
    assert sum("Реестр участников" in (m.text or "") for m in curator.messages()) == 1
    async with db() as session:
        assert (await session.scalar(select(Person).where(Person.telegram_id == BLOCKER))).unreachable_at is not None
    assert [r.getMessage() for r in error_log.records] == [], "a handler failed"
    assert [(c.method, c.description) for c in emulator.rejections] == []


def restart_command() -> list[str] | None:
    command = os.environ.get("TEST_POSTGRES_RESTART")
    return shlex.split(command) if command else None


async def test_a_failure_after_a_press_was_answered_is_told_in_a_message(emulator, db, db_url, clock,
                                                                         error_log: ErrorLog):
    """The handler answered the press, then its edit failed for good: the apology comes as a message (a
    second answer to the press would be refused with a 400 and show nothing)."""
    await school(db, emulator)

    async def edits_fail(method: str, params: dict) -> TelegramError | None:
        if method == "editMessageText" and str(params.get("chat_id")) == str(CURATOR):
            return TelegramError(500, "Internal Server Error")
        return None

    settings = Settings.explicit(token=emulator.token, db_url=db_url, api_base=emulator.base_url,
                                 telegram={"reply_timeout": 1, "reply_retries": 1})
    curator = ScriptedUser(emulator, CURATOR, "Ольга")
    async with running(settings, clock):
        assert "Реестр" in (await curator.send("/registry")).text
        emulator.fault_hook = edits_fail
        try:
            reply = await curator.press("Наставники")
        finally:
            emulator.fault_hook = None
        assert [e.kind for e in reply.events if e.kind == "callback_answer"] == ["callback_answer"]
        assert "Что-то пошло не так" in curator.last().text
    assert [(c.method, c.description) for c in emulator.rejections] == []
    assert any("failed" in r.getMessage() for r in error_log.records)


async def test_a_database_restart_under_load_loses_no_answer(emulator, db, db_url, clock, error_log: ErrorLog):
    if not db_url.startswith("postgresql"):
        pytest.skip("a database server restart: PostgreSQL")
    command = restart_command()
    if command is None or pg_url() is None:
        pytest.skip("TEST_POSTGRES_RESTART is not set (.ci/run sets it to restart its PostgreSQL)")
    await school(db, emulator)
    people = [ScriptedUser(emulator, BASE + SCHOOL_OFFSETS[key], key) for key in ("curator", "m1", "m2", "e1", "e2", "e3", "e4")]
    settings = Settings.explicit(token=emulator.token, db_url=db_url, api_base=emulator.base_url,
                                 retry_base=0.05, retry_max=0.3, poll_interval=0.05)
    answered: Counter[str] = Counter()
    stop = asyncio.Event()

    async def ask(user: ScriptedUser, command_text: str) -> str:
        """Send and wait for the bot's next message in the chat (updates are handled as tasks here)."""
        before = len(user.messages())
        await user.emulator.push_message(user.id, text=command_text)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while len(user.messages()) == before:
            assert loop.time() < deadline, f"{user.first_name}: no answer to {command_text}"
            await asyncio.sleep(0.02)
        return user.messages()[-1].text or ""

    async def keep_asking(user: ScriptedUser) -> None:
        """A person looking at their program and journal again and again; each time some answer comes."""
        for command_text in itertools.cycle(["/program", "/journal", "/help"]):
            if stop.is_set():
                return
            text = await ask(user, command_text)
            answered["apology" if "Что-то пошло не так" in text else "answer"] += 1

    async with running(settings, clock, as_tasks=True) as app:
        users = [asyncio.create_task(keep_asking(user)) for user in people]
        await asyncio.sleep(2)
        restarted = await asyncio.to_thread(subprocess.run, command, capture_output=True, text=True, timeout=120)
        assert restarted.returncode == 0, restarted.stderr
        await asyncio.sleep(4)  # the bot goes on with fresh connections, by itself
        before = answered["answer"]
        await asyncio.sleep(3)
        stop.set()
        await asyncio.gather(*users)
        assert answered["answer"] > before  # answering again after the restart
        for user in people:  # and everyone is answered properly now
            assert "Что-то пошло не так" not in await ask(user, "/help")
        # the scheduler and the sender stood down on the error and took over again: notifications flow
        for attempt in range(2):  # this test's own pool meets a dropped connection once, then renews itself
            try:
                async with db() as session:
                    await enqueue(session, chat_id=MENTEE, text="Уведомление после перезапуска", kind="test",
                                  now=clock.now())
                    await session.commit()
                break
            except DBAPIError:
                assert attempt == 0
        await wait_text(people[3], "Уведомление после перезапуска", timeout=30)
        assert app.backbone.leading.is_set()
    # what failed while the database was away was said to the person, never a 400 from Telegram
    assert [(c.method, c.description) for c in emulator.rejections] == []
    failures = [r for r in error_log.records if r.name == "nastavnik.errors"]
    apologies = sum("Что-то пошло не так" in (m.text or "") for user in people for m in user.messages())
    assert answered["apology"] > 0 and len(failures) == apologies, (len(failures), apologies)


async def test_stopping_waits_for_the_updates_in_flight(emulator, db, settings, clock, error_log: ErrorLog):
    """SIGTERM while an update is being handled (as a task, as in production): its answer still goes out
    before the database and the Bot API session are closed."""
    await school(db, emulator)
    replying = asyncio.Event()

    async def slow_reply(method: str, params: dict) -> TelegramError | None:
        if method == "sendMessage" and int(params.get("chat_id", 0)) == MENTEE:
            replying.set()
            await asyncio.sleep(1)  # Telegram is slow to answer: the update is in flight
        return None

    emulator.fault_hook = slow_reply
    mentee = ScriptedUser(emulator, MENTEE, "Алина")
    async with running(settings, clock, as_tasks=True):
        await emulator.push_message(MENTEE, text="/help")
        await asyncio.wait_for(replying.wait(), 15)
    emulator.fault_hook = None
    assert mentee.messages() and "/ask" in mentee.messages()[-1].text
    assert [r.getMessage() for r in error_log.records] == []
