"""Dialog state (aiogram FSM) outlives the process: a dialog begun before a restart goes on after it, in
the database by default and in Redis when REDIS_URL is set (a second app on the same Redis stands for
another worker). What must not be kept — a stranger's invite before consent, survey answers in
progress — is never written: the database holds no trace of it, and after a restart it is simply gone."""
from __future__ import annotations

import json
import os

import pytest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from sqlalchemy import select, text

from bot.handlers.help_requests.states import HeldMessage
from bot.handlers.surveys.states import AnsweringSurvey, SurveyAnswering, SurveyProgress
from bot.services.invites import create_invite
from bot.services.organizations import create_organization
from bot.settings import Settings
from bot.speedups.transactions import driver_in_transaction
from bot.telegram.storage import PrivateStorage
from db.models import DialogState, Role
from tests.conftest import running
from tests.emulator import ScriptedUser
from tests.factories import seed, wait_text


async def _rows(db) -> list[DialogState]:
    async with db() as session:
        return list((await session.scalars(select(DialogState))).all())


async def _dialog_survives_a_restart(emulator, db, settings, clock) -> None:
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 8", "Europe/Moscow")).id
    await seed(db, org_id, 2500, "Куратор Ковалёва", Role.CURATOR)
    curator = ScriptedUser(emulator, 2500, "Ковалёва")
    emulator.open_chat(curator.id, curator.first_name)
    async with running(settings, clock):
        await curator.send("/surveys")
        await curator.press("➕ Новый опрос")
        await curator.press("Свой опрос")
        reply = await curator.send("Опрос после перезапуска")
        assert "Вопрос 1. Какого он вида?" in reply.text
    async with running(settings, clock):  # a restart, or another worker
        reply = await curator.press("Оценка от 1 до 10")
        assert "Напишите текст вопроса" in reply.text
        await curator.send("Насколько полезен семинар?")
        reply = await curator.press("Обязательный")
        assert "Вопрос 1 добавлен: Насколько полезен семинар?" in reply.text


async def test_a_dialog_survives_a_restart_in_the_database(emulator, db, settings, clock):
    await _dialog_survives_a_restart(emulator, db, settings, clock)
    assert await _rows(db)  # kept in dialog_states


@pytest.fixture
async def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set (.ci/run sets it)")
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    await client.flushdb()
    await client.aclose()
    return url


async def test_a_dialog_survives_a_restart_in_redis(emulator, db, db_url, clock, redis_url):
    settings = Settings.explicit(token=emulator.token, db_url=db_url, api_base=emulator.base_url, redis_url=redis_url)
    await _dialog_survives_a_restart(emulator, db, settings, clock)
    assert await _rows(db) == []  # in Redis, not in the database


async def test_nothing_private_is_kept_and_a_restart_forgets_it(emulator, db, settings, clock):
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 9", "Europe/Moscow")).id
        token = (await create_invite(session, org_id=org_id, role=Role.MENTEE, now=clock.now())).token
    await seed(db, org_id, 2600, "Куратор Котова", Role.CURATOR)
    for tid in (2601, 2602, 2603):
        await seed(db, org_id, tid, f"Наставляемый {tid}", Role.MENTEE)
    stranger, curator, mentee = (ScriptedUser(emulator, tid, name) for tid, name in
                                 [(2700, "Незнакомец"), (2600, "Котова"), (2601, "Первый")])
    for user in (stranger, curator, mentee):
        emulator.open_chat(user.id, user.first_name)
    async with running(settings, clock):
        reply = await stranger.send(f"/start {token}")
        assert "Согласие на обработку персональных данных" in reply.text
        assert await _rows(db) == []  # not even the stranger's chat id, nor the invite
        await curator.send("/surveys")
        await curator.press("➕ Новый опрос")
        await curator.press("Анкета удовлетворённости наставляемого")
        await curator.press("Всем наставляемым")
        await curator.press("Неделя")
        await curator.press("🚀 Запустить")
        await mentee.press("📝 Пройти опрос", await wait_text(mentee, "Опрос «Анкета"))
        started = [row for row in await _rows(db) if f":{mentee.id}:" in row.key]
        await mentee.press("9")
        await mentee.press("8")
        rows = {row.key: row for row in await _rows(db)}
        mine = [row for key, row in rows.items() if f":{mentee.id}:" in key]
        assert len(mine) == 1 and mine[0].state == "SurveyAnswering:question"
        assert mine[0].updated_at == started[0].updated_at  # an answer writes nothing (not even how far)
        assert set(json.loads(mine[0].data)) == {"sv"}  # which survey, not what they answered nor how far
        async with db() as session:
            dump = " ".join(str(v) for v in (await session.execute(text("SELECT * FROM dialog_states"))).all())
        assert token not in dump and str(stranger.id) not in dump
    async with running(settings, clock):
        reply = await stranger.press("✅ Даю согласие")
        assert "неактуальна" in reply.alerts[0]  # the pending consent was never stored: open the link again
        reply = await mentee.press("7")
        assert "начатые ответы не сохранились" in reply.text
        reply = await mentee.press("📝 Пройти опрос")
        assert "вопрос 1 из 10" in reply.text


async def test_the_database_storage_reads_a_known_dialog_from_memory_and_skips_empty_writes(db, db_url):
    """A lone process caches what it wrote; with several processes (shared) the table is read each time."""
    from aiogram.fsm.storage.base import StorageKey
    from sqlalchemy import event

    from bot.telegram.storage import DatabaseStorage

    key = StorageKey(bot_id=1, chat_id=42, user_id=42)
    lone, other = DatabaseStorage(db_url), DatabaseStorage(db_url, shared=True)
    statements: list[str] = []
    in_transaction: list[bool] = []
    event.listen(lone.engine.sync_engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement.split()[0].upper()))
    event.listen(lone.engine.sync_engine, "after_cursor_execute",
                 lambda conn, *args: in_transaction.append(driver_in_transaction(conn.connection.dbapi_connection)))
    try:
        await lone.set_state(key, "SurveyBuild:title")
        await lone.set_data(key, {"build": {"title": "Опрос"}})
        written = len(statements)
        assert await lone.get_state(key) == "SurveyBuild:title"
        assert await lone.get_data(key) == {"build": {"title": "Опрос"}}
        await lone.set_data(key, {"build": {"title": "Опрос"}})  # the same again: nothing to write
        assert len(statements) == written and "SELECT" not in statements[1:]
        # each a statement on its own: no transaction was left open after it, so no BEGIN or COMMIT went
        assert in_transaction and not any(in_transaction)
        # another process (shared) sees the lone one's dialog, and changes one column only
        assert await other.get_data(key) == {"build": {"title": "Опрос"}}
        await other.set_state(key, "SurveyBuild:kind")
        assert await other.get_state(key) == "SurveyBuild:kind"
        assert await other.get_data(key) == {"build": {"title": "Опрос"}}
        await other.set_state(key, None)
        await other.set_data(key, {})
        assert await _rows(db) == []  # nothing left: no row
    finally:
        await lone.close()
        await other.close()


async def test_volatile_dialog_data_stay_out_of_the_durable_storage_and_end_with_the_dialog():
    durable = MemoryStorage()
    key = StorageKey(bot_id=1, chat_id=5, user_id=5)
    state = FSMContext(PrivateStorage(durable), key)
    await state.set_state(SurveyAnswering.question)
    await AnsweringSurvey(sv=7).save(state)
    await SurveyProgress(question=2, answers={"11": 4}, picked=[1]).save(state)
    await HeldMessage(text="<b>мой вопрос</b>", attachment=None).save(state)
    assert await durable.get_data(key) == {"sv": 7}  # which survey only: no answer, no position, no text
    assert (await SurveyProgress.load(state)).answers == {"11": 4}
    await HeldMessage.drop(state)
    assert await HeldMessage.load(state) is None and await SurveyProgress.load(state) is not None
    await state.clear()  # the dialog ended: its memory goes too
    assert await SurveyProgress.load(state) is None and len(state.storage.volatile) == 0
    assert (await AnsweringSurvey.load(state)).sv == 0  # a press after the end is a stale button
    with pytest.raises(TypeError):  # only the bot's storage keeps volatile data
        await SurveyProgress().save(FSMContext(durable, key))
