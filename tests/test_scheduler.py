"""The scheduler on the bot's own database: a busy SQLite job store is retried, not fatal; stopping waits
for the jobs that run."""
from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timedelta, timezone

from apscheduler.triggers.date import DateTrigger

from bot.runtime.scheduler import create_scheduler
from bot.services.clock import Clock
from db.migrate import upgrade

finished: list[str] = []


async def slow_job() -> None:
    await asyncio.sleep(0.3)
    finished.append("slow")


async def test_a_busy_job_store_answers_a_retry_moment_and_then_works_again(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'jobs.sqlite3'}"
    await upgrade(url)
    scheduler = create_scheduler(url, Clock())
    store = next(iter(scheduler._jobstores.values()))  # noqa: SLF001 - the store the scheduler was given
    scheduler.start(paused=True)
    try:
        run_at = datetime.now(timezone.utc) + timedelta(hours=1)
        job = scheduler.add_job(slow_job, DateTrigger(run_at), id="j")
        locker = sqlite3.connect(tmp_path / "jobs.sqlite3")
        locker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        try:
            job._modify(next_run_time=run_at + timedelta(minutes=5))  # noqa: SLF001 - as APScheduler does
            store.update_job(job)  # fails fast and is absorbed
            before = datetime.now(timezone.utc)
            retry_at = store.get_next_run_time()
            assert before + timedelta(seconds=1) <= retry_at <= before + timedelta(seconds=3)
        finally:
            locker.rollback()
            locker.close()
        assert store.get_next_run_time() == run_at  # the write that failed is redone by the next round
    finally:
        scheduler.shutdown(wait=False)


async def test_stop_waits_for_the_jobs_running(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'jobs.sqlite3'}"
    await upgrade(url)
    scheduler = create_scheduler(url, Clock())
    scheduler.start()
    finished.clear()
    scheduler.add_job(slow_job, DateTrigger(datetime.now(timezone.utc)), id="slow")
    for _ in range(100):
        if scheduler.running_jobs:
            break
        await asyncio.sleep(0.01)
    assert scheduler.running_jobs == {"slow": 1}
    await scheduler.stop(grace=5)
    assert finished == ["slow"] and not scheduler.running_jobs
