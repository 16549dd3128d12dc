"""The dispatcher's filters run in the event loop: aiogram sends every callable that is not a coroutine
function (the magic filters `F.text`, `F.chat.type == …`) through `asyncio.to_thread`, a thread hop per
filter per update that cost more CPU than the handlers (bench/updates.py)."""
from __future__ import annotations

import asyncio

from bot.dispatcher import callables, create_dispatcher
from db.models import Role
from tests.conftest import onboard
from tests.emulator import ScriptedUser
from tests.test_e2e_onboarding import make_invite, make_org


def test_no_filter_or_handler_of_the_dispatcher_is_left_to_a_thread(settings, db):
    objects = list(callables(create_dispatcher(settings, db)))
    magic = [o for o in objects if getattr(o, "magic", None) is not None]
    assert len(magic) > 100  # the routers' magic filters were found (and not, say, an empty walk)
    assert [o for o in objects if not o.awaitable] == []


async def test_updates_are_filtered_without_threads(emulator, db, bot_app, monkeypatch):
    hops: list[str] = []
    to_thread = asyncio.to_thread

    async def counting(func, /, *args, **kwargs):
        hops.append(repr(func)[:120])
        return await to_thread(func, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counting)
    org_id = await make_org(db)
    curator = ScriptedUser(emulator, 601, "Анна")
    await onboard(curator, await make_invite(db, org_id, Role.CURATOR), name="Куратор Анна Андреевна")
    assert "Реестр" in (await curator.send("/registry")).text
    assert (await curator.send_in_group(-100600, "/registry")).events == []  # F.chat.type still filters
    assert hops == []
