"""Run Alembic migrations from code (the CLI's `migrate` and the tests use this)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from db.engine import create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def _run(url: str, action, revision: str) -> None:
    config = alembic_config(url)
    engine = create_engine(url)

    def _do(connection: Connection) -> None:
        config.attributes["connection"] = connection
        action(config, revision)

    try:
        async with engine.begin() as connection:
            await connection.run_sync(_do)
    finally:
        await engine.dispose()


async def upgrade(url: str, revision: str = "head") -> None:
    await _run(url, command.upgrade, revision)


async def downgrade(url: str, revision: str = "base") -> None:
    await _run(url, command.downgrade, revision)
