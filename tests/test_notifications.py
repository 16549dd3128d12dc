"""The notification backbone: outbox, limits, faults, restarts and the scheduler."""
from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from bot.app import BotApp
from bot.runtime.leader import LeaderLock
from bot.runtime.scheduler import local_to_utc, schedule_notification, sync_url, weekly_trigger
from bot.services.clock import Clock
from bot.services.message_split import split_message, visible_length
from bot.services.notify import enqueue
from bot.services.organizations import create_organization
from bot.services.profile import normalize_name
from bot.settings import Settings
from bot.speedups.transactions import driver_in_transaction
from bot.waits import within
from db.engine import create_engine
from db.models import Membership, Notification, NotificationStatus, Person, Role
from tests.conftest import START, ErrorLog, running
from tests.emulator import ScriptedUser
from tests.emulator.server import TelegramError, injected_fault, max_in_any_second
from tests.emulator.telegram_html import parse_html, utf16_len

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------------------ splitting
def test_short_text_is_one_part():
    assert split_message("<b>привет</b>") == ["<b>привет</b>"]


def test_long_texts_split_into_valid_parts_on_line_boundaries():
    rng = random.Random(7)
    lines = [f"<b>{i}.</b> <i>{'слово ' * rng.randint(1, 120)}</i> &amp; &lt;x&gt; 😀" for i in range(400)]
    text = "<blockquote>" + "\n".join(lines) + "</blockquote>\n" + "я" * 9000
    parts = split_message(text)
    plain = [parse_html(p) for p in parts]  # every part is valid Telegram HTML
    assert all(utf16_len(p) <= 4096 for p in plain) and len(parts) > 5
    assert all(p.startswith("<blockquote>") for p in parts[:-3])  # formatting carried over
    assert plain[0].split("\n")[-1].endswith("😀")  # cut at a line end, not mid-line
    assert "".join(plain).replace("\n", "") == parse_html(text).replace("\n", "")
    assert visible_length(text) == utf16_len(parse_html(text))


# ----------------------------------------------------------------------------- the outbox
async def test_enqueue_is_part_of_the_callers_transaction_and_idempotent_by_key(db):
    async with db() as session:
        assert await enqueue(session, chat_id=1, text="a", kind="test", now=START, dedup_key="k1")
        await session.rollback()  # the business change failed: no notification either
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Notification)) == 0
        assert await enqueue(session, chat_id=1, text="a", kind="test", now=START, dedup_key="k1")
        await session.commit()
        assert await enqueue(session, chat_id=1, text="a", kind="test", now=START, dedup_key="k1") is None
        await session.commit()
        assert await session.scalar(select(func.count()).select_from(Notification)) == 1


# ------------------------------------------------------------------ delivery under faults
async def _seed_people(db, org_id: int, ids: list[int], role: Role = Role.MENTEE) -> None:
    async with db() as session:
        for uid in ids:
            person = Person(telegram_id=uid, full_name=f"Участник {uid}", search_name=normalize_name(f"Участник {uid}"),
                            profile_completed_at=START)
            session.add(person)
            await session.flush()
            session.add(Membership(person_id=person.id, organization_id=org_id, role=role))
        await session.commit()


async def _person_id(db, telegram_id: int) -> int:
    async with db() as session:
        return await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))


async def _wait_settled(db, timeout: float = 90) -> None:
    """Until nothing is left to send (the sender works in the background)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    open_states = [NotificationStatus.PENDING, NotificationStatus.SENDING]
    while loop.time() < deadline:
        async with db() as session:
            left = await session.scalar(
                select(func.count()).select_from(Notification).where(Notification.status.in_(open_states)))
        if left == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{left} notifications still undelivered")


async def test_every_notification_arrives_once_despite_429_500_timeouts_and_a_blocked_user(
        emulator, db, db_url, error_log: ErrorLog):
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 7", "Europe/Moscow")).id
    users = list(range(2000, 2030))
    blocked = users[7]
    curator_id = 1999
    await _seed_people(db, org_id, users)
    await _seed_people(db, org_id, [curator_id], Role.CURATOR)
    for uid in users + [curator_id]:
        emulator.open_chat(uid, f"Участник {uid}")
    emulator.blocked.add(blocked)
    long_text = "\n".join(f"<b>Строка {i}</b>: " + "текст " * 20 for i in range(120))  # ~ 3 messages
    async with db() as session:
        for round_ in (1, 2):
            for uid in users:
                await enqueue(session, chat_id=uid, person_id=await _person_id(db, uid), kind="test",
                              text=f"Уведомление {round_} для <b>{uid}</b> &amp; всё", now=datetime.now(timezone.utc))
        await enqueue(session, chat_id=users[0], text=long_text, kind="test", now=datetime.now(timezone.utc))
        await session.commit()

    injected: Counter[str] = Counter()
    requests = itertools.count(1)
    kinds = itertools.cycle(["429", "500", "timeout"])

    async def faults(method: str, params: dict) -> TelegramError | None:
        """One send in ten fails: 429 with retry_after, 500, or no answer in time, in turn."""
        if method != "sendMessage" or int(params.get("chat_id", 0)) not in users or next(requests) % 10 != 3:
            return None
        kind = next(kinds)
        injected[kind] += 1
        return await injected_fault(kind, hang=2.5)

    emulator.fault_hook = faults
    settings = Settings.explicit(token=emulator.token, db_url=db_url, api_base=emulator.base_url,
                                 retry_base=0.05, retry_max=0.3, request_timeout=1, poll_interval=0.05)
    app = BotApp.create(settings, clock=Clock())
    polling = asyncio.create_task(app.run_polling(handle_as_tasks=False, handle_signals=False, polling_timeout=1))
    try:
        await _wait_settled(db)
        for uid in users:
            texts = [m.text for m in emulator.chat_messages(uid)]
            expected = [] if uid == blocked else [f"Уведомление {r} для {uid} & всё" for r in (1, 2)]
            if uid == users[0]:
                assert texts[:2] == expected and len(texts) == 2 + len(split_message(long_text))
                assert "".join(texts[2:]).replace("\n", "") == parse_html(long_text).replace("\n", "")
            else:
                assert texts == expected, uid  # each exactly once, in order
        assert sum(injected.values()) >= 5 and set(injected) == {"429", "500", "timeout"}, injected
        async with db() as session:
            person = await session.scalar(select(Person).where(Person.telegram_id == blocked))
            assert person.unreachable_at is not None
            states = Counter((await session.scalars(select(Notification.status))).all())
        assert states == {NotificationStatus.SENT: 60 - 2 + 1, NotificationStatus.UNREACHABLE: 2}
        sends = [c.at for c in emulator.delivered()]
        assert max_in_any_second(sends) <= 30

        # the curator sees who cannot be reached
        emulator.fault_hook = None
        curator = ScriptedUser(emulator, curator_id, "Куратор")
        await curator.send("/registry")
        reply = await curator.press("Недоступны")
        assert f"Участник {blocked}" in reply.text and "заблокировал бота" in reply.text
        assert "Найдено: 1." in reply.text
        # unblocking and writing to the bot again makes the person reachable
        emulator.blocked.discard(blocked)
        await ScriptedUser(emulator, blocked, "Вернулся").send("/help")
        async with db() as session:
            person = await session.scalar(select(Person).where(Person.telegram_id == blocked))
            assert person.unreachable_at is None
    finally:
        await app.stop()
        await asyncio.wait_for(polling, 10)
    assert [r.getMessage() for r in error_log.records] == []
    assert emulator.rejections == []


# ----------------------------------------------------------------------- kill and restart
def _bot_env(db_url: str, emulator) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_", "NOTIFY_"))}
    env.update(DATABASE_URL=db_url, BOT_TOKEN=emulator.token, TELEGRAM_API_BASE=emulator.base_url,
               LOG_LEVEL="WARNING")
    return env


async def _start_bot(db_url: str, emulator, tmp_path: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=_bot_env(db_url, emulator),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)


async def test_sigkill_in_the_middle_of_500_then_restart_delivers_all_once(emulator, db, db_url, tmp_path):
    users = list(range(10_000, 10_500))
    for uid in users:
        emulator.open_chat(uid, "Получатель")
    async with db() as session:
        for uid in users:
            await enqueue(session, chat_id=uid, text=f"Напоминание для {uid}", kind="test",
                          now=datetime.now(timezone.utc) - timedelta(seconds=1))
        await session.commit()

    first = await _start_bot(db_url, emulator, tmp_path)
    stored_at_kill: set[int] = set()
    kill_at = 200

    async def kill_midway(method: str, params: dict) -> TelegramError | None:
        if method == "sendMessage" and len(emulator.delivered()) + 1 == kill_at and first.returncode is None:
            stored_at_kill.update(c for c in users if emulator.chat_messages(c))
            os.kill(first.pid, signal.SIGKILL)
            emulator.fault_hook = None
            return TelegramError(502, "Bad Gateway")  # the request dies with the process
        return None

    emulator.fault_hook = kill_midway
    await asyncio.wait_for(first.wait(), 120)
    assert first.returncode == -signal.SIGKILL
    assert len(stored_at_kill) == kill_at - 1
    async with db() as session:
        in_doubt = set((await session.scalars(
            select(Notification.chat_id).where(Notification.status == NotificationStatus.SENDING))).all())
    # in doubt and already shown to the user: sent, but the process died before recording it
    ambiguous = in_doubt & stored_at_kill

    second = await _start_bot(db_url, emulator, tmp_path)
    try:
        await _wait_settled(db, timeout=120)
    finally:
        second.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(second.communicate(), 30)
    assert second.returncode == 0, err.decode()[-2000:]
    per_chat = Counter(int(c.params["chat_id"]) for c in emulator.delivered())
    assert set(per_chat) == set(users)  # nothing lost
    twice = {chat for chat, n in per_chat.items() if n > 1}
    # nothing repeated, except what Telegram had shown before a SIGKILL let the bot record it:
    # no Bot API call can tell the bot that; the window is one answer's commit long
    assert twice == ambiguous and len(ambiguous) <= 1, (twice, ambiguous)
    assert max(per_chat.values()) <= 2
    assert emulator.rejections == []


async def test_a_stop_lets_the_message_in_flight_be_recorded_and_gives_back_what_was_not_sent(
        emulator, db, settings, error_log: ErrorLog):
    """A stop while Telegram has a message in hand: the answer is recorded (sent once, not again at the
    next start), the message queued behind it stays queued, and no transaction is cut in half."""
    chat = 4100
    emulator.open_chat(chat, "Получатель")
    async with db() as session:
        for text in ("Первое", "Второе"):
            await enqueue(session, chat_id=chat, text=text, kind="test", now=datetime.now(timezone.utc))
        await session.commit()
    in_flight = asyncio.Event()

    async def slow(method: str, params: dict) -> TelegramError | None:
        if method == "sendMessage" and not in_flight.is_set():
            in_flight.set()
            await asyncio.sleep(1.0)  # Telegram takes its time answering
        return None

    emulator.fault_hook = slow
    app = BotApp.create(settings, clock=Clock())
    polling = asyncio.create_task(app.run_polling(handle_as_tasks=False, handle_signals=False, polling_timeout=1))
    await asyncio.wait_for(in_flight.wait(), 30)
    await asyncio.wait_for(app.stop(), 15)
    await asyncio.wait_for(polling, 10)
    assert [m.text for m in emulator.chat_messages(chat)] == ["Первое"]
    async with db() as session:
        rows = (await session.execute(select(Notification.text, Notification.status, Notification.attempts)
                                      .order_by(Notification.id))).all()
    assert rows == [("Первое", NotificationStatus.SENT, 1), ("Второе", NotificationStatus.PENDING, 0)]

    async with running(settings, Clock()):  # the next start sends what is left, and only that
        await _wait_settled(db, timeout=30)
    assert [m.text for m in emulator.chat_messages(chat)] == ["Первое", "Второе"]
    assert [r.getMessage() for r in error_log.records] == []
    assert emulator.rejections == []


# ------------------------------------------------------------------------------ scheduler
def test_weekly_times_are_local_and_stored_in_utc():
    novosibirsk = weekly_trigger("Asia/Novosibirsk", "mon", 8, 0)
    assert novosibirsk.get_next_fire_time(None, START) == datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc)
    berlin = weekly_trigger("Europe/Berlin", "sun", 8, 0)
    before = berlin.get_next_fire_time(None, datetime(2027, 3, 20, tzinfo=timezone.utc))
    after = berlin.get_next_fire_time(None, datetime(2027, 3, 27, tzinfo=timezone.utc))
    assert before.astimezone(timezone.utc).hour == 7 and after.astimezone(timezone.utc).hour == 6  # DST
    assert local_to_utc(datetime(2026, 11, 24, 8, 0), "Asia/Novosibirsk") == datetime(
        2026, 11, 24, 1, 0, tzinfo=timezone.utc)
    assert sync_url("sqlite+aiosqlite:////tmp/x.db") == "sqlite+pysqlite:////tmp/x.db"
    assert sync_url("postgresql+asyncpg://u:p@h/d") == "postgresql+psycopg://u:p@h/d"


async def _wait_for(predicate, timeout: float = 10) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def test_scheduled_notification_survives_restart_and_fires_once_at_local_time(
        emulator, db, settings, clock, error_log):
    emulator.open_chat(3001, "Ольга")
    run_at = local_to_utc(datetime(2026, 11, 24, 8, 0), "Asia/Novosibirsk")  # 01:00 UTC

    async def started() -> tuple[BotApp, asyncio.Task]:
        app = BotApp.create(settings, clock=clock)
        task = asyncio.create_task(app.run_polling(handle_as_tasks=False, handle_signals=False, polling_timeout=1))
        await asyncio.wait_for(app.backbone.leading.wait(), 30)
        return app, task

    async def stopped(app: BotApp, task: asyncio.Task) -> None:
        await app.stop()
        await asyncio.wait_for(task, 10)

    app, task = await started()
    for _ in range(2):  # planned twice (say, by two handlers): one job, by its id
        schedule_notification(app.backbone.scheduler, job_id="reminder:plan-item:1", run_at=run_at,
                              chat_id=3001, person_id=None, kind="reminder", text="Срок пункта плана — завтра")
    await stopped(app, task)

    app, task = await started()  # a restart: the job is still there, once
    try:
        jobs = {j.id: j for j in app.backbone.scheduler.get_jobs()}
        assert sorted(jobs) == ["digests", "help-escalations", "outbox-retention", "plan-reminders",
                                "planned-meetings", "quiet-pairs", "reminder:plan-item:1", "school-year",
                                "speed-reminders", "surveys"]  # one of each
        assert jobs["reminder:plan-item:1"].next_run_time == run_at
        clock.advance(run_at - clock.now() - timedelta(minutes=1))  # 00:59 UTC: not yet
        await app.backbone.scheduler.run_due()
        await asyncio.sleep(0.3)
        assert emulator.chat_messages(3001) == []
        clock.advance(timedelta(minutes=1))
        await app.backbone.scheduler.run_due()
        await _wait_for(lambda: len(emulator.chat_messages(3001)) == 1)
        await app.backbone.scheduler.run_due()
        await asyncio.sleep(0.3)
        assert [m.text for m in emulator.chat_messages(3001)] == ["Срок пункта плана — завтра"]
        assert sorted(j.id for j in app.backbone.scheduler.get_jobs()) == [
            "digests", "help-escalations", "outbox-retention", "plan-reminders", "planned-meetings", "quiet-pairs",
            "school-year", "speed-reminders", "surveys"]
    finally:
        await stopped(app, task)
    assert [r.getMessage() for r in error_log.records] == []


async def test_only_one_process_leads_on_postgresql(db_url):
    engine_a, engine_b = create_engine(db_url), create_engine(db_url)
    a, b = LeaderLock(engine_a), LeaderLock(engine_b)
    try:
        if engine_a.dialect.name != "postgresql":
            assert await a.try_acquire() and await b.try_acquire()  # SQLite: one process is assumed
            return
        assert await a.try_acquire()
        assert not await b.try_acquire()
        assert await a.alive() and not await b.alive()
        await a.release()
        assert await b.try_acquire()
        assert await b.alive() and not await a.alive()
    finally:
        await a.release()
        await b.release()
        await engine_a.dispose()
        await engine_b.dispose()


async def test_within_times_out_and_passes_the_callers_cancellation_on():
    assert await within(asyncio.sleep(0.01, "done"), 1) == "done"
    with pytest.raises(TimeoutError):
        await within(asyncio.sleep(5), 0.05)
    slow = asyncio.create_task(asyncio.sleep(5))
    waiting = asyncio.create_task(within(slow, 10))
    await asyncio.sleep(0.05)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await asyncio.sleep(0)
    assert slow.cancelled()  # the awaited work is cancelled with the caller


async def test_a_user_who_blocks_the_bot_before_its_answer_is_marked_not_crashed(emulator, db, bot_app):
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 9", "Europe/Moscow")).id
    await _seed_people(db, org_id, [4001])
    user = ScriptedUser(emulator, 4001, "Уходящий")
    emulator.blocked.add(user.id)
    reply = await user.send("/help")  # the answer meets a 403; the fixture checks nothing failed
    assert reply.messages == []
    async with db() as session:
        assert await session.scalar(select(Person.unreachable_at).where(Person.telegram_id == 4001)) is not None


async def test_on_postgresql_the_outbox_runs_its_statements_without_begin_and_commit(db, db_url, settings, emulator):
    """Each of the sender's statements stands alone (the leader alone sends, a row at a time), so on
    PostgreSQL they run in autocommit: no BEGIN and COMMIT round trips around each. The delivery is
    still recorded."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite begins only before a write, in the bot's own process: nothing to spare")

    emulator.open_chat(4242, "Ирина")
    async with db() as session:
        notification = await enqueue(session, chat_id=4242, text="Встреча завтра", kind="test", now=START)
        await session.commit()
    app = BotApp.create(settings)
    seen: list[tuple[str, bool]] = []

    def after(conn, cursor, statement, *args) -> None:
        seen.append((statement.split()[0].upper(), driver_in_transaction(conn.connection.dbapi_connection)))

    event.listen(app.engine.sync_engine, "after_cursor_execute", after)
    try:
        assert await app.backbone.sender.run_once() == 1
        await app.backbone.sender.drain()
    finally:
        event.remove(app.engine.sync_engine, "after_cursor_execute", after)
        await app.close()
    assert [m.text for m in emulator.chat_messages(4242)] == ["Встреча завтра"]
    async with db() as session:
        assert (await session.get(Notification, notification.id)).status == NotificationStatus.SENT
    assert [kind for kind, _ in seen] == ["SELECT", "UPDATE", "UPDATE"]  # due, the claim (returning the row), sent
    assert not any(open_ for _, open_ in seen)


def test_every_action_of_a_notice_button_is_bound_on_telegram_and_fits_its_callback_data():
    from bot.services.notify import Action, Button, buttons_json
    from bot.telegram.notices import NOTICE_CALLBACKS, notice_markup

    assert set(NOTICE_CALLBACKS) == set(Action)
    args = {"request": 7, "rating": 5, "mentorship": 7, "accept": True, "extension": 7, "meeting": 7,
            "comment": False, "session": 7, "survey": 7, "org": 7, "approval": 7, "held": True, "version": 7, "practice": 7}
    rows = [[Button("Взять запрос", action, args)] for action in Action]
    markup = notice_markup(buttons_json(rows))
    data = [row[0].callback_data for row in markup.inline_keyboard]
    assert len(data) == len(Action) and all(len(d.encode()) <= 64 and ":7" in d for d in data)
    # a row queued before buttons were stored as actions carries Telegram's markup: sent as it is
    legacy = '{"inline_keyboard": [[{"text": "Взять", "callback_data": "ht:7"}]]}'
    assert notice_markup(legacy).inline_keyboard[0][0].callback_data == "ht:7"
