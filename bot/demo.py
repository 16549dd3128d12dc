"""`python -m bot demo`: the bot talking to scripted people through the local Bot API emulator.

No Telegram, no token: the emulator (tests/emulator) plays Telegram on 127.0.0.1 and the real
bot, built by the same factory as in production, polls it. The conversation is printed.
"""
from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings


def _emulator():
    sys.path.insert(0, str(PROJECT_ROOT))
    try:
        from tests.emulator import BotAPIEmulator, ScriptedUser
    except ImportError as exc:  # an installed package without the checkout's tests/
        raise SystemExit(f"the demo needs the project checkout (tests/emulator): {exc}") from None
    return BotAPIEmulator, ScriptedUser


def _print(transcript: list[tuple[str, str]], start: int) -> int:
    for who, text in transcript[start:]:
        prefix = "🤖 бот" if who == "bot" else f"👤 {who}"
        body = text.replace("\n", "\n      ")
        print(f"{prefix}: {body}\n")
    return len(transcript)


async def run_demo(out_dir: Path | None = None) -> list[tuple[str, str]]:
    from bot.app import BotApp
    from bot.services.invites import create_invite
    from bot.services.organizations import create_organization
    from db.migrate import upgrade
    from db.models import Role

    BotAPIEmulator, ScriptedUser = _emulator()
    workdir = Path(out_dir or tempfile.mkdtemp(prefix="nastavnik-demo-"))
    emulator = BotAPIEmulator()
    await emulator.start()
    url = f"sqlite+aiosqlite:///{workdir / 'demo.sqlite3'}"
    settings = Settings.explicit(token=emulator.token, db_url=url, api_base=emulator.base_url)
    await upgrade(url)
    app = BotApp.create(settings)
    async with app.sessionmaker() as session:
        org = await create_organization(session, "МБОУ «Средняя школа № 1»", "Europe/Moscow")
        invite = await create_invite(session, org_id=org.id, role=Role.CURATOR, now=datetime.now(timezone.utc))
    polling = asyncio.create_task(app.run_polling(handle_as_tasks=False, handle_signals=False, polling_timeout=1))
    transcript: list[tuple[str, str]] = []
    shown = 0
    try:
        await emulator.wait_polling()
        print(f"Организация «{org.name}» создана, приглашение куратора: ?start={invite.token}\n")
        anna = ScriptedUser(emulator, 1001, "Анна (куратор)", transcript=transcript)
        await anna.send(f"/start {invite.token}")
        await anna.press("✅ Даю согласие")
        for answer in ("Иванова Анна Сергеевна", "заместитель директора", "русский язык", "18"):
            await anna.send(answer)
        await anna.press("Нет")
        reply = await anna.send("/invite наставник 5")
        shown = _print(transcript, shown)
        token = re.search(r"start=([A-Za-z0-9_-]+)", reply.text).group(1)  # type: ignore[union-attr]

        petr = ScriptedUser(emulator, 1002, "Пётр (наставник)", transcript=transcript)
        await petr.send(f"/start {token}")
        await petr.press("✅ Даю согласие")
        for answer in ("Петров Пётр <Петрович>", "учитель", "математика", "25"):
            await petr.send(answer)
        await petr.press("Нет")
        await petr.press(lambda text: "Методика" in text)
        await petr.press(lambda text: "Цифровые" in text)
        await petr.press(lambda text: text.startswith("Готово"))
        await petr.press("3")
        shown = _print(transcript, shown)

        await anna.send("/registry")
        await anna.press("Наставники")
        await anna.press(lambda text: text.startswith("Петров"))
        shown = _print(transcript, shown)
        print(f"Запросов к Bot API: {len(emulator.calls)}, отклонено: {len(emulator.rejections)}")
    finally:
        await app.stop()
        await polling
        await emulator.stop()
    return transcript
