"""Updates through the bot, beside a bare aiogram echo bot on the same emulator in the same run.

A realistic mix, each user waiting for the bot's answer before the next step as people do: mentees
ask for help (/ask, a topic, the text) and answer a 10-question survey; mentors log meetings (the
nine steps of /log); curators ask for /summary; everyone looks at /program and /journal. The echo
bot gets the same sequence of kinds of updates (texts and button presses) and answers each.

Two measurements per bot: the most it sustains (every user as fast as it is answered) in updates a
second, and the latency (from the update to the bot's answer in that chat) at a paced 100 updates a
second: p50 and p99. Goal: the bot at least half the echo bot's throughput, p99 under 50 ms at 100/s.
The bot runs as in production (polling, updates handled as tasks, SQLite by default; --pg URL for
PostgreSQL), and its peak memory (RSS) is printed. With --workers 1 or more nastavnik runs in processes
of its own, and so does the echo bot (bench/echo_bot.py): like for like, and the CPU an update of each
is printed (a ratio the machine's noise moves less than the throughputs).

    .venv/bin/python -m bench.updates [--users 60] [--seconds 20] [--pg postgresql+asyncpg://...]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import resource
import signal
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from aiogram import Dispatcher, F
from aiogram.types import CallbackQuery, Message
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApp
from bot.i18n import I18n
from bot.services import surveys
from bot.services.actor import load_actor
from bot.services.clock import FrozenClock
from bot.services.organizations import create_organization
from bot.settings import Settings
from bot.telegram.dispatcher import create_bot
from db.engine import create_engine, create_sessionmaker
from db.migrate import downgrade, upgrade
from db.models import (
    MentoringKind,
    MentorshipStatus,
    Person,
    Role,
)
from tests.emulator import BotAPIEmulator
from tests.emulator.server import ChatEvent, StoredMessage
from tests.factories import add_person, school_pair
from tests.helpers import free_port

NOW = datetime.now(timezone.utc).replace(microsecond=0)  # the bot in its own process runs on the real clock


# ------------------------------------------------------------------------- measuring
class Waiter:
    """Futures resolved by the emulator's events: 'the bot answered in this chat'."""

    def __init__(self, emulator: BotAPIEmulator) -> None:
        self.emulator = emulator
        self.pending: dict[int, tuple[asyncio.Future, Callable[[ChatEvent], bool]]] = {}
        emulator.event_hook = self._on_event

    def _on_event(self, event: ChatEvent) -> None:
        waiting = self.pending.get(event.chat_id)
        if waiting and not waiting[0].done() and waiting[1](event):
            waiting[0].set_result(time.perf_counter())

    def expect(self, chat_id: int, test: Callable[[ChatEvent], bool]) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.pending[chat_id] = (future, test)
        return future


def answered_with(text: str | None) -> Callable[[ChatEvent], bool]:
    if text is None:
        return lambda event: True
    return lambda event: event.kind in ("send", "edit") and text in (event.text or "")


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    timeouts: int = 0
    unanswered: list[str] = field(default_factory=list)  # the step, and the bot's last words in that chat
    by_step: dict[str, list[float]] = field(default_factory=dict)  # what was sent or pressed: its latencies

    def slowest(self, n: int = 3) -> str:
        worst = sorted(((max(v), k) for k, v in self.by_step.items()), reverse=True)[:n]
        return ", ".join(f"{k[:20]!r} {w * 1000:.0f} ms" for w, k in worst)

    def over(self, limit: float, n: int = 5) -> str:
        """How many answers took longer than `limit` seconds, and the steps most of them were."""
        late = sorted(((sum(t > limit for t in v), k) for k, v in self.by_step.items()), reverse=True)
        total = sum(count for count, _ in late)
        return f"{total} ({', '.join(f'{k[:16]!r} {count}/{len(self.by_step[k])}' for count, k in late[:n] if count)})"

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")


class BenchUser:
    def __init__(self, emulator: BotAPIEmulator, waiter: Waiter, user_id: int, stats: Stats, echo: bool) -> None:
        self.emulator, self.waiter, self.id, self.stats, self.echo = emulator, waiter, user_id, stats, echo
        emulator.user(user_id, f"U{user_id}")
        emulator.open_chat(user_id, f"U{user_id}")

    async def _act(self, push, expect: str | None, step: str = "") -> bool:
        future = self.waiter.expect(self.id, answered_with(expect))
        started = time.perf_counter()
        await push()
        try:
            answered = await asyncio.wait_for(future, 10)
        except asyncio.TimeoutError:
            self.stats.timeouts += 1
            self.stats.unanswered.append(f"{step[:20]!r} (10 s without {expect!r}; last: {self.last_words()!r})")
            return False
        self.stats.latencies.append(answered - started)
        self.stats.by_step.setdefault(step, []).append(answered - started)
        return True

    async def send(self, text: str, expect: str | None = None) -> bool:
        return await self._act(lambda: self.emulator.push_message(self.id, text=text), expect, text)

    def last_words(self) -> str:
        messages = self.emulator.chat_messages(self.id)
        return (messages[-1].text or "")[:60] if messages else ""

    def last_with_button(self, label: Callable[[str], bool]) -> tuple[StoredMessage, str] | None:
        for message in reversed(self.emulator.chat_messages(self.id)):
            for row in message.buttons:
                for button in row:
                    if label(button["text"]) and "callback_data" in button:
                        return message, button["callback_data"]
        return None

    async def press(self, label: Callable[[str], bool] | str, expect: str | None = None) -> bool:
        if self.echo:  # the echo bot has no buttons: a press on its last message
            messages = self.emulator.chat_messages(self.id)
            message_id = messages[-1].message_id if messages else 1
            return await self._act(lambda: self.emulator.push_callback(self.id, message_id, "echo"), expect)
        test = label if callable(label) else (lambda text: text == label)
        found = self.last_with_button(test)
        if found is None:
            self.stats.timeouts += 1
            self.stats.unanswered.append(f"no button to press for {expect!r} (last: {self.last_words()!r})")
            return False
        message, data = found
        return await self._act(lambda: self.emulator.push_callback(self.id, message.message_id, data), expect,
                               data.split(":")[0])


# ------------------------------------------------------------------------------ flows
# (kind of update, what the bot answers with); the echo bot gets the same kinds
ASK = [("send", "/ask", "Тема запроса"), ("press", lambda t: t.startswith("Инклюзия"), "Опишите ситуацию"),
       ("send", "Как удержать внимание класса на шестом уроке?", "отправлен")]
SURVEY = [("press", "📝 Пройти опрос", "вопрос 1 из 10")] + [
    ("press", str(n), f"вопрос {q + 2} из 10") for q, n in enumerate([8, 9, 7, 6, 9, 8, 7])] + [
    ("press", "Да", "вопрос 9 из 10"), ("press", "Нет", "вопрос 10 из 10"),
    ("press", "Пропустить", "Проверьте ответы"), ("press", "✅ Отправить ответы", "Спасибо")]
LOG = [("send", "/log", "Когда прошла встреча"), ("press", "Сегодня", "Сколько длилась"),
       ("press", "60 мин.", "Формат встречи"), ("press", "очно", "Тема встречи"),
       ("send", "Разбор урока", "Кратко"), ("send", "Посмотрели запись урока", "Следующие шаги"),
       ("send", "Подготовить конспект", "пункт плана"), ("press", lambda t: t.startswith("Открытый урок"), "записана")]
READ = [("send", "/program", None), ("send", "/journal", None), ("send", "/surveys", None)]
SUMMARY = [("send", "/summary", "Сводка")]


async def run_flow(user: BenchUser, flow: list, pace: float | None) -> int:
    done = 0
    for kind, what, expect in flow:
        started = time.perf_counter()
        ok = await (user.send(what, expect) if kind == "send" else user.press(what, expect))
        if not ok:
            break
        done += 1
        if pace:
            await asyncio.sleep(max(0.0, pace - (time.perf_counter() - started)))
    return done


def echo_flow(flow: list) -> list:
    """The same kinds of updates for the echo bot: texts it echoes, buttons it answers."""
    return [(kind, "echo", None) for kind, _, _ in flow]


# ----------------------------------------------------------------------------- the bots
def echo_dispatcher() -> Dispatcher:
    dp = Dispatcher()

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    @dp.callback_query()
    async def pressed(callback: CallbackQuery) -> None:
        await callback.answer()

    return dp


def floor_dispatcher(sessionmaker: async_sessionmaker[AsyncSession]) -> Dispatcher:
    """The least a bot with a database does: the echo bot, after finding who wrote (one indexed read of
    `people` by Telegram id, in a session opened for the update as nastavnik does)."""
    dp = echo_dispatcher()
    who = select(Person.id, Person.locale).where(Person.telegram_id == bindparam("telegram_id"))

    @dp.update.outer_middleware()
    async def reading_who_wrote(handler, event, data):
        async with sessionmaker() as session:
            await session.execute(who, {"telegram_id": data["event_from_user"].id})
            return await handler(event, data)

    return dp


@asynccontextmanager
async def polling_in_process(emulator: BotAPIEmulator, dp: Dispatcher) -> AsyncIterator[None]:
    """A bare dispatcher (the echo bot, the floor) polling the emulator in the bench's process."""
    bot = create_bot(Settings.explicit(token=emulator.token, db_url="sqlite+aiosqlite://", api_base=emulator.base_url))
    polls = emulator.polls
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    while emulator.polls == polls:  # this bot's first poll (another may have polled before)
        await asyncio.sleep(0.05)
    try:
        yield
    finally:
        await dp.stop_polling()
        await task
        await bot.session.close()


@dataclass
class Cast:
    mentees: list[int]
    mentors: list[int]
    curators: list[int]


async def seed(url: str, users: int) -> Cast:
    """One school: a curator per 20 people, mentors with one pair each and a plan item, mentees; an
    open survey to every mentee."""
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    i18n = I18n()
    cast = Cast([], [], [])
    async with sessionmaker() as session:
        org_id = (await create_organization(session, "Школа для замера", "Europe/Moscow")).id
        tid = 500_000
        pairs = max(1, users // 4)
        for n in range(users):
            tid += 1
            role = Role.CURATOR if n % 20 == 0 else Role.MENTOR if len(cast.mentors) < pairs else Role.MENTEE
            mentor = role == Role.MENTOR
            person_id = await add_person(session, org_id, tid, f"Педагог {tid}", role, young=n % 2 == 0, at=NOW,
                                         created=NOW, topics=("Инклюзия",) if mentor else (),
                                         capacity=3 if mentor else None)
            {Role.CURATOR: cast.curators, Role.MENTOR: cast.mentors, Role.MENTEE: cast.mentees}[role].append(
                (tid, person_id))
        for (_, mentor_id), (_, mentee_id) in zip(cast.mentors, cast.mentees, strict=False):
            await school_pair(session, org_id, MentoringKind.TRADITIONAL, MentorshipStatus.ACTIVE,
                              [(mentor_id, Role.MENTOR), (mentee_id, Role.MENTEE)], started=NOW,
                              program_end=NOW.date() + timedelta(days=365),
                              plan=[("Открытый урок", NOW.date() + timedelta(days=120))])
        await session.commit()
        curator = await load_actor(session, cast.curators[0][0])
        sid = await surveys.create(session, curator, audience="mentees", deadline=NOW + timedelta(days=7), now=NOW,
                                   i18n=i18n, template="mentee")
        await surveys.launch(session, curator, sid, NOW, i18n)
    await engine.dispose()
    return Cast([t for t, _ in cast.mentees], [t for t, _ in cast.mentors], [t for t, _ in cast.curators])


async def load(emulator: BotAPIEmulator, cast: Cast, *, echo: bool, pace: float | None, seconds: float,
               survey: bool = True) -> tuple[Stats, int, float]:
    """Every user runs their flows (looping over the readers) until `seconds` pass. A survey is answered
    once: a second run passes survey=False."""
    stats = Stats()
    waiter = Waiter(emulator)
    plans: list[tuple[int, list]] = []
    for n, tid in enumerate(cast.mentees):
        plans.append((tid, ((ASK + SURVEY) if n % 2 == 0 else (SURVEY + ASK)) if survey else ASK))
    plans += [(tid, LOG) for tid in cast.mentors] + [(tid, SUMMARY * 3) for tid in cast.curators]
    deadline = time.perf_counter() + seconds
    done = 0

    chance = random.Random(9)  # the same spread for every bot of a run, and from run to run

    async def user_loop(n: int, tid: int, flow: list) -> None:
        nonlocal done
        user = BenchUser(emulator, waiter, tid, stats, echo)
        reading = []
        if pace:  # users spread over the pace, as people are: not all at the same instant
            await asyncio.sleep(pace * n / len(plans))
            # and a steady mix: each user's own flow starts at a random point of the run, after some reading,
            # rather than everyone's heavy steps (help requests, meetings, summaries) in the first second
            reading = (READ * int(seconds / pace))[:chance.randrange(max(1, int(seconds / pace) - len(flow)))]
        first = True
        while time.perf_counter() < deadline:
            steps = reading + flow if first else READ
            steps = echo_flow(steps) if echo else steps
            steps_done = await run_flow(user, steps, pace)  # (not `done += await …`: that loses counts)
            done += steps_done
            first = False

    started = time.perf_counter()
    await asyncio.gather(*(user_loop(n, tid, flow) for n, (tid, flow) in enumerate(plans)))
    return stats, done, time.perf_counter() - started


def report(label: str, stats: Stats, done: int, wall: float) -> float:
    rate = done / wall
    print(f"  {label}: {done} updates in {wall:.1f} s = {rate:.0f} updates/s; latency p50 {stats.percentile(0.5):.1f} ms, "
          f"p99 {stats.percentile(0.99):.1f} ms; unanswered {stats.timeouts}", flush=True)
    for what in stats.unanswered[:3]:
        print(f"    unanswered: {what}")
    return rate


async def run_floor(emulator: BotAPIEmulator, url: str, cast: Cast, seconds: float, pace: float,
                    echo_rate: float | None) -> None:
    engine = create_engine(url)
    async with polling_in_process(emulator, floor_dispatcher(create_sessionmaker(engine))):
        print("the floor: the echo bot + a session and one read an update, in the bench's process:", flush=True)
        rate = report("as fast as answered", *await load(emulator, cast, echo=True, pace=None, seconds=seconds))
        if echo_rate:
            print(f"  throughput: {rate / echo_rate:.2f} of the echo bot's")
        report("paced at 100 updates/s", *await load(emulator, cast, echo=True, pace=pace, seconds=seconds,
                                                      survey=False))
    await engine.dispose()


async def run_echo(emulator: BotAPIEmulator, users: int, seconds: float, pace: float,
                   own_process: bool) -> tuple[float, float | None]:
    """The echo bot's throughput, and its CPU an update when it runs in a process of its own."""
    cast = Cast(list(range(900_001, 900_001 + users * 3 // 4)), list(range(910_001, 910_001 + users // 4)),
                [920_001])
    async with AsyncExitStack() as stack:
        if own_process:
            pid = await stack.enter_async_context(bot_process(emulator, "sqlite+aiosqlite://", 1,
                                                              command=["-m", "bench.echo_bot"]))
            cpu = cpu_seconds(pid)
        else:
            await stack.enter_async_context(polling_in_process(emulator, echo_dispatcher()))
        where = "in its own process" if own_process else "in the bench's process"
        print(f"echo bot ({users} users), {where}:", flush=True)
        stats, done, wall = await load(emulator, cast, echo=True, pace=None, seconds=seconds)
        rate = report("as fast as answered", stats, done, wall)
        cpu_an_update = (cpu_seconds(pid) - cpu) / done if own_process else None
        if cpu_an_update is not None:
            print(f"  CPU of the echo bot's process: {cpu_an_update * 1000:.2f} ms an update")
        report("paced at 100 updates/s", *await load(emulator, cast, echo=True, pace=pace, seconds=seconds,
                                                      survey=False))
    return rate, cpu_an_update


def _descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [pid] + [d for child in children for d in _descendants(int(child))]


def _proc_files(pid: int, name: str) -> Iterator[str]:
    """/proc/<pid>/<name> of a process and of its descendants that are still there."""
    for each in _descendants(pid):
        try:
            yield Path(f"/proc/{each}/{name}").read_text()
        except OSError:
            continue


def peak_rss_mib(pid: int) -> float:
    """The peak RSS (VmHWM) of a process and its descendants, summed: the bot's router and workers."""
    return sum(next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
               for status in _proc_files(pid, "status")) / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its descendants so far."""
    ticks = 0
    for stat in _proc_files(pid, "stat"):
        fields = stat.rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@asynccontextmanager
async def bot_process(emulator: BotAPIEmulator, url: str, workers: int,
                      command: Sequence[str] = ("-m", "bot", "run")) -> AsyncIterator[int]:
    """`python -m bot run` as in production, in its own process(es): polling for one worker, the webhook
    router and its workers for several (or another polling bot's `command`). Yields the parent's pid."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_", "WEBHOOK_",
                                                                      "REDIS_"))}
    env |= {"BOT_TOKEN": emulator.token, "TELEGRAM_API_BASE": emulator.base_url, "DATABASE_URL": url,
            "BOT_USERNAME": "", "LOG_LEVEL": "WARNING", "PYTHONPATH": os.getcwd()}
    if workers > 1:
        port = free_port()
        env |= {"WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram", "WEBHOOK_SECRET": "bench",
                "WEBHOOK_HOST": "127.0.0.1", "WEBHOOK_PORT": str(port), "WEBHOOK_WORKERS": str(workers)}
    proc = await asyncio.create_subprocess_exec(sys.executable, *command, cwd=tempfile.mkdtemp(), env=env,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    polls = emulator.polls
    try:
        for _ in range(600):  # up: the webhook set, or polling
            if proc.returncode is not None:
                raise RuntimeError(f"the bot's process ended with {proc.returncode}")
            if (emulator.webhook is not None) if workers > 1 else (emulator.polls > polls):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(2)  # every worker up
        yield proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
        if proc.returncode != 0 or b"Traceback" in err:
            print(f"  the bot's process ended with {proc.returncode}: {err.decode()[-1500:]}")
        emulator.webhook = None


async def invitations_delivered(emulator: BotAPIEmulator, cast: Cast, timeout: float = 60) -> None:
    """Every mentee has the survey's invitation (the outbox sends them as the bot starts): the load
    begins with pressing its button."""
    def invited(tid: int) -> bool:
        return any(button["text"] == "📝 Пройти опрос" for message in emulator.chat_messages(tid)
                   for row in message.buttons for button in row)

    deadline = time.perf_counter() + timeout
    while not all(invited(tid) for tid in cast.mentees) and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)


async def run_nastavnik(emulator: BotAPIEmulator, name: str, url: str, users: int, seconds: float, pace: float,
                        echo: tuple[float, float | None] | None, workers: int, floor: bool) -> None:
    cast = await seed(url, users)
    for tid in cast.mentees + cast.mentors + cast.curators:
        emulator.user(tid, f"U{tid}")
        emulator.open_chat(tid, f"U{tid}")  # the survey's invitations go out as the bot starts
    how = ("in the bench's process" if not workers else "in its own process (polling)" if workers == 1
           else f"as {workers} webhook workers behind the router")
    async with AsyncExitStack() as stack:
        if workers:
            pid = await stack.enter_async_context(bot_process(emulator, url, workers))
        else:
            settings = Settings.explicit(token=emulator.token, db_url=url, api_base=emulator.base_url)
            app = BotApp.create(settings, clock=FrozenClock(NOW))
            task = asyncio.create_task(app.run_polling(handle_signals=False, polling_timeout=1))
        await invitations_delivered(emulator, cast)
        print(f"nastavnik on {name}, {how} ({len(cast.mentees)} mentees, {len(cast.mentors)} mentors, "
              f"{len(cast.curators)} curators):", flush=True)
        cpu = cpu_seconds(pid) if workers else 0.0
        stats, done, wall = await load(emulator, cast, echo=False, pace=None, seconds=seconds)
        rate = report("as fast as answered", stats, done, wall)
        if workers:
            cpu_an_update = (cpu_seconds(pid) - cpu) / done
            than_echo = f" ({cpu_an_update / echo[1]:.1f} times the echo bot's)" if echo and echo[1] else ""
            print(f"  CPU of the bot's processes: {cpu_an_update * 1000:.1f} ms an update{than_echo}")
        if echo:
            print(f"  throughput: {rate / echo[0]:.2f} of the echo bot's (goal >= 0.5)")
        await asyncio.sleep(2)
        stats, done, wall = await load(emulator, cast, echo=False, pace=pace, seconds=seconds, survey=False)
        report("paced at 100 updates/s", stats, done, wall)
        print(f"  p99 at ~100 updates/s: {stats.percentile(0.99):.1f} ms (goal < 50 ms); slowest: {stats.slowest()}")
        print(f"  answers over 50 ms: {stats.over(0.05)}")
        if workers:
            print(f"  peak memory (RSS) of the bot's processes: {peak_rss_mib(pid):.0f} MiB")
        else:
            await app.stop()
            await task
    if floor:
        # the floor runs in the bench's process: compared with the echo bot only when that ran there too
        await run_floor(emulator, url, cast, seconds, pace, echo[0] if echo and echo[1] is None else None)


async def main(users: int, seconds: float, pg: str | None, bots: set[str], workers: int) -> None:
    print(f"machine: {platform.machine()}, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs; "
          f"speed-ups {'off' if Settings(_env_file=None).speedups is False else 'on'} (SPEEDUPS=off turns them off)")
    emulator = BotAPIEmulator()
    await emulator.start()
    pace = users / 100  # each user's step every users/100 s: 100 updates a second in all
    echo = await run_echo(emulator, users, seconds, pace, own_process=workers > 0) if "echo" in bots else None

    for label, url in [("sqlite", f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"),
                       ("pg", pg)]:
        if label not in bots:
            continue
        if not url:
            print("PostgreSQL: skipped (set TEST_POSTGRES_URL or pass --pg)")
            continue
        if label == "pg":
            await downgrade(url, "base")
        elif workers > 1:
            print("SQLite: skipped (several webhook workers need PostgreSQL)")
            continue
        await upgrade(url)
        await run_nastavnik(emulator, "SQLite" if label == "sqlite" else "PostgreSQL", url, users, seconds, pace,
                            echo, workers, "floor" in bots)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS) of the bench's process (emulator, users{', bots' if not workers else ', echo bot'}): "
          f"{rss:.0f} MiB")
    rejected = [(c.method, c.description) for c in emulator.rejections]
    print(f"rejected by the emulator: {len(rejected)} {rejected[:3]}")
    await emulator.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--pg", default=os.environ.get("TEST_POSTGRES_URL"), help="a PostgreSQL URL it may wipe")
    parser.add_argument("--bots", default="echo,sqlite,pg",
                        help="which of echo, sqlite, pg to run; with floor, after nastavnik on each database: the "
                             "echo bot that also opens a session and reads who wrote")
    parser.add_argument("--workers", type=int, default=0,
                        help="0: nastavnik in the bench's process; 1: `python -m bot run` in its own process "
                             "(polling); N: N webhook workers behind the router (PostgreSQL)")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.seconds, args.pg, set(args.bots.split(",")), args.workers))
