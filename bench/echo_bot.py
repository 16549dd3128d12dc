"""The bare aiogram echo bot of bench/updates.py in a process of its own, as nastavnik runs with
`--workers 1`: `BOT_TOKEN=… TELEGRAM_API_BASE=… python -m bench.echo_bot` (SIGTERM stops it)."""
from __future__ import annotations

import asyncio
import os

from bench.updates import echo_dispatcher
from bot.settings import Settings
from bot.telegram.dispatcher import create_bot


async def main() -> None:
    settings = Settings.explicit(token=os.environ["BOT_TOKEN"], db_url="sqlite+aiosqlite://",
                                 api_base=os.environ["TELEGRAM_API_BASE"])
    bot = create_bot(settings)
    try:
        await echo_dispatcher().start_polling(bot, polling_timeout=1)  # SIGTERM and SIGINT stop the polling
    finally:
        await bot.session.close()


if __name__ == "__main__":
    asyncio.run(main())
