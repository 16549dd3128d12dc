"""PostgreSQL: a transaction begins at a session's first write, not its first read."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# PostgreSQL locks a row only inside a transaction: a SELECT that takes one needs a transaction around it
ROW_LOCKS = ("FOR UPDATE", "FOR SHARE", "FOR NO KEY UPDATE", "FOR KEY SHARE")


def applies_to(engine: AsyncEngine) -> bool:
    return engine.dialect.driver == "asyncpg"


def begin_at_first_write(engine: AsyncEngine) -> None:
    """A session's transaction begins with its first statement that needs one — a write, a row lock, a
    server-side cursor — not with its first statement: the reads before it run in autocommit.

    Most updates only read (a survey answer: the acting person, the survey, the dialog state), and each
    BEGIN and ROLLBACK around them is a round trip to PostgreSQL: a read-only update 5 → 3 round trips.
    Under READ COMMITTED (the default, which the bot does not change) a read outside a transaction sees
    what the same read inside one would — each statement takes its own snapshot either way — so nothing
    the services rely on changes: what a session writes, from its first write to its commit, is still one
    transaction, and a rollback undoes all of it. (SQLite needs none of this: its driver begins only
    before a write.)

    It steers SQLAlchemy's asyncpg adapter, which begins a transaction before a statement unless its
    `isolation_level` is "autocommit": before each statement outside a transaction it is set to
    autocommit for a plain read and back to the connection's own setting otherwise. Tested
    (tests/test_transactions.py), so that a change of the adapter's internals is caught."""

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _choose(conn, cursor, statement: str, parameters, context, executemany) -> None:
        driver = conn.connection.dbapi_connection
        if driver._transaction is not None or driver._isolation_setting == "autocommit":
            return  # in a transaction already, or a connection in autocommit on purpose (the outbox's)
        driver.isolation_level = "autocommit" if _reads_only(statement, context) else driver._isolation_setting


def driver_in_transaction(dbapi_connection) -> bool:
    """Whether a driver's connection has a transaction open: SQLAlchemy's asyncpg adapter holds it;
    psycopg (the scheduler's job store on PostgreSQL) tells its status; sqlite3 says, under aiosqlite's
    adapter or alone. For the tests and the benchmark, which count what reaches the database."""
    if hasattr(dbapi_connection, "_transaction"):  # asyncpg
        return dbapi_connection._transaction is not None
    if hasattr(dbapi_connection, "info"):  # psycopg: 0 is IDLE
        return dbapi_connection.info.transaction_status != 0
    return getattr(dbapi_connection, "_connection", dbapi_connection).in_transaction


def _reads_only(statement: str, context) -> bool:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete
                                or context.execution_options.get("stream_results", False)):  # a server-side cursor
        return False
    return statement.lstrip()[:6].upper() == "SELECT" and not any(lock in statement for lock in ROW_LOCKS)
