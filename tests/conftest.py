"""Fixtures: the Bot API emulator, a migrated database, and the real bot polling the emulator."""
from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApp
from bot.services.clock import FrozenClock
from bot.settings import Settings
from db.engine import create_engine, create_sessionmaker
from db.migrate import upgrade
from tests.clock import scheduler_reads
from tests.emulator import BotAPIEmulator, ScriptedUser

START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
LINK_RE = re.compile(r"https://t\.me/(\w+)\?start=([A-Za-z0-9_-]+)")


async def reset_postgres(url: str) -> None:
    from sqlalchemy import text

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request, tmp_path) -> str:
    """Every test that touches the database runs on SQLite, and on PostgreSQL when TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
    url = pg_url()
    if url is None:
        pytest.skip("TEST_POSTGRES_URL is not set (.ci/run sets it)")
    await reset_postgres(url)
    return url


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    emu = BotAPIEmulator()
    await emu.start()
    yield emu
    await emu.stop()


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    frozen = FrozenClock(START)
    with scheduler_reads(frozen):
        yield frozen


@pytest.fixture
def settings(db_url: str, emulator: BotAPIEmulator) -> Settings:
    return Settings.explicit(token=emulator.token, db_url=db_url, api_base=emulator.base_url)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A migrated database and a session factory for arranging and asserting."""
    await upgrade(db_url)
    engine = create_engine(db_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def error_log() -> AsyncIterator[ErrorLog]:
    handler = ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


@pytest.fixture
async def bot_app(settings: Settings, db, clock: FrozenClock, emulator: BotAPIEmulator,
                  error_log: ErrorLog) -> AsyncIterator[BotApp]:
    """The production application, polling the emulator; updates handled one by one so tests can wait.

    After the test: no handler raised, and the emulator rejected no request."""
    app = BotApp.create(settings, clock=clock)
    task = asyncio.create_task(app.run_polling(handle_as_tasks=False, handle_signals=False, polling_timeout=1))
    await emulator.wait_polling()
    yield app
    await asyncio.wait_for(app.stop(), 15)
    await asyncio.wait_for(task, 10)
    assert [r.getMessage() for r in error_log.records] == [], "a handler failed"
    assert [(c.method, c.description) for c in emulator.rejections] == [], "the Bot API rejected a request"


@asynccontextmanager
async def running(settings: Settings, clock, *, as_tasks: bool = False) -> AsyncIterator[BotApp]:
    """The production app polling the emulator for the length of a `with` (tests that restart it, or
    need other settings than `bot_app`'s); updates one by one unless `as_tasks`."""
    app = BotApp.create(settings, clock=clock)
    task = asyncio.create_task(app.run_polling(handle_as_tasks=as_tasks, handle_signals=False, polling_timeout=1))
    await asyncio.sleep(0.3)
    try:
        yield app
    finally:
        await asyncio.wait_for(app.stop(), 15)
        await asyncio.wait_for(task, 15)


@contextmanager
def recorded_statements(session: AsyncSession) -> Iterator[list[str]]:
    """The SQL of every statement the session's engine sends meanwhile, in order."""
    engine = session.get_bind()
    statements: list[str] = []

    def record(conn, cursor, statement: str, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def count(sessionmaker: async_sessionmaker[AsyncSession], model, *where) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def link_token(text: str) -> str:
    match = LINK_RE.search(text)
    assert match, f"no invite link in {text!r}"
    return match.group(2)


async def onboard(user: ScriptedUser, token: str, *, name: str, role: str = "curator",
                  position: str = "учитель", subject: str = "математика", experience: str = "12",
                  under_35: bool = False, topics: tuple[str, ...] = ("Инклюзия",), capacity: str = "2",
                  category: str = "молодой педагог") -> None:
    """Walk a person through consent and the whole profile, as they would."""
    reply = await user.send(f"/start {token}")
    assert "Согласие на обработку персональных данных" in reply.text, reply.text
    await user.press("✅ Даю согласие")
    assert "ФИО" in user.last().text or "фамилию" in (user.last().text or "")
    await user.send(name)
    await user.send(position)
    await user.send(subject)
    await user.send(experience)
    await user.press("Да" if under_35 else "Нет")
    if role == "mentee":
        await user.press(category)
        for topic in topics:
            await user.press(lambda text, topic=topic: topic in text)
        await user.press(lambda text: text.startswith("Готово"))
        await user.press("Пропустить")
    elif role == "mentor":
        for topic in topics:
            await user.press(lambda text, topic=topic: topic in text)
        await user.press(lambda text: text.startswith("Готово"))
        await user.press(capacity)
    assert "Анкета заполнена" in (user.last().text or ""), user.last().text


def pg_url() -> str | None:
    return os.environ.get("TEST_POSTGRES_URL") or None
