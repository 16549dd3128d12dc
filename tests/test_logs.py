"""No personal data in the logs: exceptions without their messages, SQL without its parameters (whatever
LOG_LEVEL and DATABASE_ECHO say), Telegram ids never printed by the bot's own lines."""
from __future__ import annotations

import io
import logging

from sqlalchemy import text

from bot import logs
from bot.services import help_requests
from bot.services.organizations import create_organization
from db.engine import create_engine
from db.models import Role
from tests.conftest import running
from tests.emulator import ScriptedUser
from tests.factories import seed

SECRET = "Секрет-что-набрал-человек"


def _capture(level: int = logging.DEBUG) -> tuple[logging.Handler, io.StringIO]:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setLevel(level)
    handler.setFormatter(logs.WithoutExceptionMessages(logs.FORMAT))
    return handler, buffer


def test_an_exception_is_logged_without_its_message():
    try:
        int(SECRET)
    except ValueError as error:
        summary = logs.exception_summary(error)
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, (ValueError, error, error.__traceback__))
    assert "ValueError (message withheld)" in summary and "int(SECRET)" in summary and SECRET not in summary
    formatted = logs.WithoutExceptionMessages(logs.FORMAT).format(record)
    assert "message withheld" in formatted and SECRET not in formatted


async def test_sql_is_logged_without_its_parameters_at_any_level(tmp_path):
    handler, buffer = _capture()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logs.quiet()
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'log.sqlite3'}", echo=True)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT :value"), {"value": SECRET})).scalar() == SECRET
    finally:
        await engine.dispose()
        root.removeHandler(handler)
        root.setLevel(level)
    assert "SELECT ?" in buffer.getvalue()  # the echo is on: the statement is there
    assert SECRET not in buffer.getvalue()


async def test_a_failing_handler_does_not_quote_what_was_typed(emulator, db, settings, clock, error_log, monkeypatch):
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 41", "Europe/Moscow")).id
    await seed(db, org_id, 4100, "Ученица Ульяна", Role.MENTEE, ["Инклюзия"])

    async def broken(*args, text: str, **kwargs):
        raise ValueError(f"cannot use {text!r}")  # as int('²') would: the message quotes the input

    monkeypatch.setattr(help_requests, "start_request", broken)
    user = ScriptedUser(emulator, 4100, "Уля")
    emulator.open_chat(user.id, user.first_name)
    async with running(settings, clock):
        await user.send("/ask")
        await user.press(lambda label: label.startswith("Инклюзия"))
        assert "Что-то пошло не так" in (await user.send(SECRET)).text
    messages = [record.getMessage() for record in error_log.records]
    assert messages and "failed" in messages[0] and "ValueError (message withheld)" in messages[0]
    assert all(SECRET not in message and record.exc_info is None
               for message, record in zip(messages, error_log.records, strict=True))
