"""The migration stairway: upgrade head, downgrade base, upgrade head again; and the models match it."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from db.engine import create_engine
from db.migrate import downgrade, upgrade
from db.models import Base


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names - {"alembic_version"}


async def _diff(url: str) -> list:
    engine = create_engine(url)
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}),
                                          Base.metadata))
    await engine.dispose()
    return diff


async def _stairway(url: str) -> None:
    await upgrade(url)
    assert await _tables(url) == set(Base.metadata.tables)
    assert await _diff(url) == []  # the migrations build exactly what the models describe
    await downgrade(url, "base")
    assert await _tables(url) == set()
    await upgrade(url)
    assert await _tables(url) == set(Base.metadata.tables)


async def test_stairway(db_url):
    await _stairway(db_url)
