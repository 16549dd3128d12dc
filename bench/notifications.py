"""Throughput of the notification sender against Telegram's 30 messages/second cap.

Sends N notifications (default 3,000) to distinct chats through the local Bot API emulator with
the production settings, and prints the achieved rate, its ratio to the cap (goal: at least 0.95)
and the most messages that arrived in any one-second window (must never exceed 30).

    .venv/bin/python -m bench.notifications [--count 3000]
"""
from __future__ import annotations

import argparse
import asyncio
import platform
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bot.runtime.sender import NotificationSender
from bot.services.clock import Clock
from bot.services.notify import enqueue
from bot.settings import Settings
from bot.telegram.dispatcher import create_bot
from db.engine import create_engine, create_sessionmaker
from db.migrate import upgrade
from tests.emulator import BotAPIEmulator
from tests.emulator.server import max_in_any_second

TELEGRAM_CAP = 30.0


async def main(count: int, overrides: dict[str, float]) -> None:
    emulator = BotAPIEmulator()
    await emulator.start()
    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-"))
    url = f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
    await upgrade(url)
    settings = Settings.explicit(token=emulator.token, db_url=url, api_base=emulator.base_url, **overrides)
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    chats = range(100_000, 100_000 + count)
    for chat in chats:
        emulator.open_chat(chat, "Получатель")
    async with sessionmaker() as session:
        now = datetime.now(timezone.utc)
        for chat in chats:
            await enqueue(session, chat_id=chat, text=f"Напоминание <b>№ {chat}</b>", kind="bench", now=now)
        await session.commit()

    bot = create_bot(settings)
    sender = NotificationSender(sessionmaker, bot, settings.notify, Clock())
    started = time.monotonic()
    task = asyncio.create_task(sender.run())
    while len(emulator.delivered()) < count:
        await asyncio.sleep(0.2)
    elapsed = time.monotonic() - started
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await bot.session.close()
    await engine.dispose()
    await emulator.stop()

    arrivals = sorted(c.at for c in emulator.delivered())
    steady = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
    peak = max_in_any_second(arrivals)
    print(f"machine: {platform.machine()}, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}")
    print(f"notifications: {count} to distinct chats, configured rate {settings.notify.rate}/s, "
          f"concurrency {settings.notify.concurrency}")
    print(f"wall time: {elapsed:.1f} s (with the outbox queries)")
    print(f"achieved: {steady:.2f} messages/s = {steady / TELEGRAM_CAP:.3f} of the {TELEGRAM_CAP:.0f}/s cap "
          f"(goal >= 0.95)")
    print(f"most in any one-second window: {peak} (cap {TELEGRAM_CAP:.0f})")
    print(f"rejected by the emulator: {len(emulator.rejections)}")
    if peak > TELEGRAM_CAP or steady / TELEGRAM_CAP < 0.95:
        raise SystemExit("the goal was not met")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--rate", type=float, help="override NOTIFY_RATE")
    args = parser.parse_args()
    asyncio.run(main(args.count, {"rate": args.rate} if args.rate else {}))
