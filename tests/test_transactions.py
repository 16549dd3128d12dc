"""On PostgreSQL the bot's sessions begin a transaction at their first write, not at their first
statement (`db/engine.py`, `_begin_at_first_write`): an update that only reads sends no BEGIN and no
ROLLBACK; what a session writes is still one transaction; a row lock and a server-side cursor still get
theirs. SQLite's driver already begins only before a write: these tests are PostgreSQL's."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from bot.services.organizations import create_organization
from bot.speedups.transactions import begin_at_first_write, driver_in_transaction
from db.engine import create_engine, create_sessionmaker
from db.models import Organization, Role
from tests.conftest import running
from tests.emulator import ScriptedUser
from tests.factories import seed, wait_text


@pytest.fixture
def pg(db_url: str, db) -> str:
    """The database's URL, migrated."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite's driver begins only before a write: nothing to test")
    return db_url


class Statements:
    """What each statement of the bot's engine was (its first word) and whether it ran in a transaction;
    the outbox's statements (autocommit on purpose) left out."""

    def __init__(self, engine) -> None:
        self.seen: list[tuple[str, bool]] = []
        self.engine = engine.sync_engine
        event.listen(self.engine, "after_cursor_execute", self._after)

    def _after(self, conn, cursor, statement: str, *args) -> None:
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return
        self.seen.append((statement.split()[0].upper(), driver_in_transaction(conn.connection.dbapi_connection)))

    def take(self) -> list[tuple[str, bool]]:
        seen, self.seen = self.seen, []
        return seen

    def close(self) -> None:
        event.remove(self.engine, "after_cursor_execute", self._after)


async def test_an_update_that_only_reads_runs_no_transaction_and_one_that_writes_runs_one(
        pg, emulator, db, settings, clock):
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 12", "Europe/Moscow")).id
    await seed(db, org_id, 3100, "Куратор Лебедева", Role.CURATOR)
    for tid in (3101, 3102, 3103):
        await seed(db, org_id, tid, f"Наставляемый {tid}", Role.MENTEE)
    curator, mentee = ScriptedUser(emulator, 3100, "Лебедева"), ScriptedUser(emulator, 3101, "Первый")
    for user in (curator, mentee):
        emulator.open_chat(user.id, user.first_name)
    async with running(settings, clock) as app:
        statements = Statements(app.engine)
        try:
            reply = await curator.send("/surveys")
            assert reply.messages
            reads = statements.take()
            assert reads and {kind for kind, _ in reads} == {"SELECT"}
            assert not any(in_transaction for _, in_transaction in reads)  # no BEGIN, no ROLLBACK

            await curator.press("➕ Новый опрос")
            await curator.press("Анкета удовлетворённости наставляемого")
            await curator.press("Всем наставляемым")
            await curator.press("Неделя")
            statements.take()
            await curator.press("🚀 Запустить")  # writes the survey and its invitations
            launch = statements.take()
            writes = [in_transaction for kind, in_transaction in launch if kind in ("INSERT", "UPDATE", "DELETE")]
            assert writes and all(writes)  # every write in the transaction
            assert not launch[0][1]  # the reads before the first write (who acts, what they may do): outside
            assert await wait_text(mentee, "Опрос «Анкета")
        finally:
            statements.close()
    async with db() as session:
        assert await session.scalar(text("SELECT count(*) FROM surveys")) == 1


async def test_what_a_session_writes_is_still_one_transaction(pg):
    engine = create_engine(pg)
    begin_at_first_write(engine)
    sessionmaker = create_sessionmaker(engine)
    try:
        async with sessionmaker() as session:
            assert await session.scalar(select(Organization.id).limit(1)) is None  # a read: autocommit
            assert not driver_in_transaction((await (await session.connection()).get_raw_connection()).dbapi_connection)
            session.add(Organization(name="Школа, которой не будет", timezone="Europe/Moscow"))
            await session.flush()  # the first write begins the transaction
            assert driver_in_transaction((await (await session.connection()).get_raw_connection()).dbapi_connection)
            with pytest.raises(DBAPIError):
                await session.execute(text("SELECT 1 / 0"))  # fails inside it
            await session.rollback()
        async with sessionmaker() as session:
            assert await session.scalar(select(Organization.id).limit(1)) is None  # the write was undone
    finally:
        await engine.dispose()


async def test_a_row_lock_holds_until_the_commit(pg):
    """A SELECT ... FOR UPDATE begins the transaction: in autocommit the lock would go with the statement."""
    engine = create_engine(pg)
    begin_at_first_write(engine)
    sessionmaker = create_sessionmaker(engine)
    other = create_engine(pg)
    try:
        async with sessionmaker() as session:
            org = Organization(name="Школа № 13", timezone="Europe/Moscow")
            session.add(org)
            await session.commit()
        async with sessionmaker() as session:
            await session.scalar(select(Organization).where(Organization.id == org.id).with_for_update())
            async with other.connect() as connection:
                with pytest.raises(DBAPIError, match="could not obtain lock"):
                    await connection.execute(text("SELECT id FROM organizations WHERE id = :id FOR UPDATE NOWAIT"),
                                             {"id": org.id})
            await session.commit()
        async with other.connect() as connection:  # released by the commit
            assert await connection.scalar(
                text("SELECT id FROM organizations WHERE id = :id FOR UPDATE NOWAIT"), {"id": org.id}) == org.id
    finally:
        await engine.dispose()
        await other.dispose()


async def test_a_server_side_cursor_gets_its_transaction(pg):
    engine = create_engine(pg)
    begin_at_first_write(engine)
    sessionmaker = create_sessionmaker(engine)
    try:
        async with sessionmaker() as session:
            session.add_all(Organization(name=f"Школа № {n}", timezone="Europe/Moscow") for n in range(5))
            await session.commit()
        async with sessionmaker() as session:
            result = await session.stream_scalars(select(Organization.name).execution_options(yield_per=2))
            assert len([name async for name in result]) == 5
    finally:
        await engine.dispose()
