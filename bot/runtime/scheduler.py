"""APScheduler 3.11 with its job store in the bot's own database.

Jobs carry ids and are added with `replace_existing`, so a restart never duplicates them. Times
are computed in the organisation's time zone (zoneinfo) and stored in UTC. The scheduler reads
time from the system clock; tests make it read theirs (tests/clock.py) and move time forward instead
of sleeping.
"""
from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_SUBMITTED,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import Clock
from bot.services.erasure import scrub_sent
from bot.services.help_requests import escalate_due
from bot.services.journal import send_quiet_nudges
from bot.services.meetings import ask_if_held
from bot.services.meetings import send_reminders as meeting_reminders
from bot.services.mentorships import send_plan_reminders
from bot.services.notify import enqueue
from bot.services.speed_sessions import send_reminders
from bot.services.summary import send_due_digests, send_school_year_reviews
from bot.services.surveys import send_due
from db.engine import checkpoint
from db.models import scheduler_jobs

log = logging.getLogger(__name__)


def sync_url(url: str) -> str:
    """The job store is synchronous: the same database through a synchronous driver."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    driver = {"sqlite": "pysqlite", "postgresql": "psycopg"}.get(backend)
    if driver is None:
        raise ValueError(f"no synchronous driver known for {backend}")
    return parsed.set(drivername=f"{backend}+{driver}").render_as_string(hide_password=False)


class BusyTolerantJobStore(SQLAlchemyJobStore):
    """APScheduler writes its job store synchronously on the event loop. On SQLite that write can meet
    the lock of an async transaction that needs this very loop to finish: waiting cannot help, so the
    store fails fast (see create_scheduler) and the round is retried shortly. APScheduler retries a
    failed read of due jobs itself; a failed write after a job was submitted is retried here, by
    answering the next-run question with a moment a little ahead. A job submitted in the failed round
    may run again; every job here is idempotent (outbox keys)."""

    def __init__(self, *args: Any, retry_seconds: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_seconds = retry_seconds
        self.retry_at: datetime | None = None

    def _busy(self, error: OperationalError) -> None:
        log.warning("job store busy (%s); retrying in %s s", error.orig, self.retry_seconds)
        self.retry_at = datetime.now(timezone.utc) + timedelta(seconds=self.retry_seconds)

    def update_job(self, job: Any) -> None:
        try:
            super().update_job(job)
        except OperationalError as error:
            self._busy(error)

    def remove_job(self, job_id: str) -> None:
        try:
            super().remove_job(job_id)
        except OperationalError as error:
            self._busy(error)

    def get_next_run_time(self) -> datetime | None:
        if self.retry_at is None:
            try:
                return super().get_next_run_time()
            except OperationalError as error:
                self._busy(error)
        retry_at, self.retry_at = self.retry_at, None
        return retry_at


class JobScheduler(AsyncIOScheduler):
    """The scheduler, knowing which of its jobs are running (from its own events), so that it can stop
    once they have finished and a test can wait for them."""

    def __init__(self, clock: Clock, **options: Any) -> None:
        self.clock = clock
        self.running_jobs: Counter[str] = Counter()
        super().__init__(**options)
        self.add_listener(self._submitted, EVENT_JOB_SUBMITTED)
        # a submitted run ends in one of these (a missed run time would not: misfire_grace_time is None)
        self.add_listener(self._finished, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def _submitted(self, event: JobSubmissionEvent) -> None:
        self.running_jobs[event.job_id] += 1

    def _finished(self, event: JobExecutionEvent) -> None:
        self.running_jobs[event.job_id] -= 1
        if self.running_jobs[event.job_id] <= 0:
            del self.running_jobs[event.job_id]

    async def _jobs_finished(self, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.running_jobs and loop.time() < deadline:
            await asyncio.sleep(0.02)

    async def stop(self, grace: float) -> None:
        """Shut down once the jobs running have finished, or after `grace` seconds: APScheduler's asyncio
        executor cancels whatever still runs at shutdown, mid-transaction. No job starts meanwhile."""
        if not self.running:
            return
        self.pause()
        await self._jobs_finished(grace)
        if self.running:  # not shut down by someone else meanwhile
            self.shutdown(wait=False)
            await asyncio.sleep(0)  # the shutdown happens in a callback of the loop: let it run

    async def run_due(self, timeout: float = 30) -> None:
        """Process due jobs at once (after a test moved the clock). Jobs still running are waited for
        first: with max_instances=1 a job due again while it runs would be skipped, not run late."""
        await self._jobs_finished(timeout)
        self.wakeup()


def create_scheduler(db_url: str, clock: Clock) -> JobScheduler:
    url = sync_url(db_url)
    # on SQLite a lock wait on the event loop can only time out (see _process_jobs): fail fast instead
    connect_args = {"timeout": 0.25} if url.startswith("sqlite") else {}
    store = BusyTolerantJobStore(engine=create_engine(url, connect_args=connect_args), tablename=scheduler_jobs.name,
                                 retry_seconds=2)
    return JobScheduler(
        clock,
        jobstores={"default": store},
        jobstore_retry_interval=2,
        timezone=timezone.utc,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )


def local_to_utc(local: datetime, zone: str) -> datetime:
    """A wall-clock time in the organisation's zone, as a UTC instant."""
    if local.tzinfo is not None:
        raise ValueError("give the local wall-clock time without a zone")
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


# ---------------------------------------------------------------------------- jobs
# Job functions are module-level (the job store keeps references to them) and find the
# running application's database through this runtime, set when the scheduler starts.

@dataclass
class JobRuntime:
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    wake_sender: Any  # callable
    i18n: Any = None  # bot.i18n.I18n: jobs write notifications in each person's language
    retention: timedelta = timedelta(days=7)  # how long a delivered notification keeps its text


_runtime: JobRuntime | None = None


def set_runtime(runtime: JobRuntime | None) -> None:
    global _runtime
    _runtime = runtime


def runtime() -> JobRuntime:
    if _runtime is None:
        raise RuntimeError("the scheduler's runtime is not set")
    return _runtime


async def send_scheduled_notification(*, chat_id: int, person_id: int | None, kind: str, text: str,
                                      dedup_key: str) -> None:
    """A notification planned for later: at its time it enters the outbox (once, by its key)."""

    rt = runtime()
    async with rt.sessionmaker() as session:
        added = await enqueue(session, chat_id=chat_id, person_id=person_id, kind=kind, text=text,
                              dedup_key=dedup_key, now=rt.clock.now())
        await session.commit()
    if added is not None:
        rt.wake_sender()


def schedule_notification(scheduler: AsyncIOScheduler, *, job_id: str, run_at: datetime, chat_id: int,
                          person_id: int | None, kind: str, text: str) -> None:
    """Plan a notification for `run_at` (aware). The job id is also the outbox key: one delivery."""
    if run_at.tzinfo is None:
        raise ValueError("run_at must be timezone-aware")
    scheduler.add_job(
        send_scheduled_notification, DateTrigger(run_date=run_at.astimezone(timezone.utc)), id=job_id,
        replace_existing=True,
        kwargs={"chat_id": chat_id, "person_id": person_id, "kind": kind, "text": text, "dedup_key": job_id},
    )


def weekly_trigger(zone: str, day_of_week: str, hour: int, minute: int) -> CronTrigger:
    """Every week at a local time of the organisation (daylight saving included)."""
    return CronTrigger(day_of_week=day_of_week, hour=hour, minute=minute, timezone=ZoneInfo(zone))


async def _scan(name: str, scan: Any) -> None:
    """Run one standing scan in its own session; wake the sender when it queued something."""
    rt = runtime()
    try:
        async with rt.sessionmaker() as session:
            if await scan(session, rt.clock.now(), rt.i18n):
                rt.wake_sender()
    except asyncio.CancelledError:
        # the bot is stopping; nothing half-done is kept (one transaction), the next run redoes it
        log.info("%s interrupted by shutdown", name)


PLAN_REMINDERS_JOB = "plan-reminders"


async def plan_reminders_job() -> None:
    """Every quarter of an hour: due-soon and overdue plan items (see mentorships.send_plan_reminders)."""

    await _scan("plan reminders", send_plan_reminders)


QUIET_PAIRS_JOB = "quiet-pairs"


async def quiet_pairs_job() -> None:
    """Every quarter of an hour: pairs with no meeting for 21 days are reminded (journal.send_quiet_nudges)."""
    await _scan("quiet pairs", send_quiet_nudges)


MEETINGS_JOB = "planned-meetings"


async def planned_meetings_job() -> None:
    """Every minute: agreed meetings a day and an hour ahead are reminded of, and the mentor of one that is
    over is asked whether it took place (services.meetings)."""
    await _scan("planned meeting reminders", meeting_reminders)
    await _scan("planned meetings held", ask_if_held)


SCHOOL_YEAR_JOB = "school-year"


async def school_year_job() -> None:
    """Every hour: on 1 September the curators review the bank (summary.send_school_year_reviews)."""
    await _scan("school year", send_school_year_reviews)


HELP_ESCALATION_JOB = "help-escalations"


async def help_escalation_job() -> None:
    """Every five minutes: unaccepted help requests to the curators, unanswered ones to their mentor."""

    await _scan("help escalations", escalate_due)


SPEED_REMINDERS_JOB = "speed-reminders"


async def speed_reminders_job() -> None:
    """Every minute: speed sessions starting in a day or in an hour, to those signed up."""

    await _scan("speed session reminders", send_reminders)


SURVEYS_JOB = "surveys"


async def surveys_job() -> None:
    """Every five minutes: the one reminder before a survey's deadline; closing at the deadline."""

    await _scan("survey reminders", send_due)


DIGESTS_JOB = "digests"


async def digests_job() -> None:
    """Every minute: weekly digests whose local day and hour have come (once each)."""

    await _scan("weekly digests", send_due_digests)


RETENTION_JOB = "outbox-retention"


async def retention_job() -> None:
    """Every hour: delivered notifications older than the retention lose their texts (bot/services/erasure.py)."""

    rt = runtime()
    async with rt.sessionmaker() as session:
        if await scrub_sent(session, rt.clock.now(), rt.retention):
            await checkpoint(session)


def add_standing_jobs(scheduler: JobScheduler) -> None:
    """Jobs that always exist; by id, so restarts keep one of each. (The trigger's start is
    given: left out, it would be taken from the wall clock, not the scheduler's.)"""
    first = scheduler.clock.now() + timedelta(minutes=1)
    scheduler.add_job(plan_reminders_job, IntervalTrigger(minutes=15, start_date=first),
                      id=PLAN_REMINDERS_JOB, replace_existing=True)
    scheduler.add_job(quiet_pairs_job, IntervalTrigger(minutes=15, start_date=first),
                      id=QUIET_PAIRS_JOB, replace_existing=True)
    scheduler.add_job(planned_meetings_job, IntervalTrigger(minutes=1, start_date=first),
                      id=MEETINGS_JOB, replace_existing=True)
    scheduler.add_job(school_year_job, IntervalTrigger(hours=1, start_date=first),
                      id=SCHOOL_YEAR_JOB, replace_existing=True)
    scheduler.add_job(help_escalation_job, IntervalTrigger(minutes=5, start_date=first),
                      id=HELP_ESCALATION_JOB, replace_existing=True)
    scheduler.add_job(speed_reminders_job, IntervalTrigger(minutes=1, start_date=first),
                      id=SPEED_REMINDERS_JOB, replace_existing=True)
    scheduler.add_job(surveys_job, IntervalTrigger(minutes=5, start_date=first), id=SURVEYS_JOB,
                      replace_existing=True)
    scheduler.add_job(digests_job, IntervalTrigger(minutes=1, start_date=first), id=DIGESTS_JOB,
                      replace_existing=True)
    scheduler.add_job(retention_job, IntervalTrigger(hours=1, start_date=first), id=RETENTION_JOB,
                      replace_existing=True)
