"""bot/speedups/: each touch of a library's internals does what it says, and SPEEDUPS=off leaves the
libraries as they are.

The dispatcher's filters run in the event loop: aiogram sends every callable that is not a coroutine
function (the magic filters `F.text`, `F.chat.type == …`) through `asyncio.to_thread`, a thread hop per
filter per update that cost more CPU than the handlers (bench/updates.py)."""
from __future__ import annotations

import asyncio
import inspect

from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import speedups
from bot.app import BotApp
from bot.handlers.onboarding.callbacks import ConsentCb
from bot.handlers.render import Keyboard
from bot.i18n import I18n
from bot.services.clock import Clock
from bot.settings import Settings
from bot.speedups import keyboard
from bot.speedups.filters import callables
from bot.speedups.gates import Gate
from bot.telegram.dispatcher import create_dispatcher
from db.engine import create_engine
from db.models import Role
from tests.conftest import onboard
from tests.emulator import ScriptedUser
from tests.factories import make_invite, make_org


async def speeded(settings, db):
    dp = create_dispatcher(settings, db, clock=Clock(), i18n=I18n(default="ru"))
    engine = create_engine(settings.db.url)
    assert speedups.apply(dp, engine, serving=False)[:4] == ["responses", "keyboard", "gates", "filters"]
    await engine.dispose()
    return dp


def gates_of(dp) -> list[Gate]:
    return [f.callback for router in dp.sub_routers for observer in router.observers.values()
            for f in observer._handler.filters or () if isinstance(f.callback, Gate)]  # noqa: SLF001


async def test_no_filter_or_handler_of_the_dispatcher_is_left_to_a_thread(settings, db):
    objects = list(callables(await speeded(settings, db)))
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


# ---------------------------------------------------------------------------- router gates
def _gate(router, event_type: str):
    from bot.speedups.gates import Gate

    gates = [f.callback for f in router.observers[event_type]._handler.filters or ()  # noqa: SLF001
             if isinstance(f.callback, Gate)]
    return gates[0] if gates else None


def _events_for(handler) -> list[tuple[object, str | None]]:
    """Updates (and dialog states) that satisfy what the handler's first binding filter asks for."""
    from datetime import datetime, timezone

    from aiogram.filters import Command, StateFilter
    from aiogram.filters.callback_data import CallbackQueryFilter
    from aiogram.fsm.state import State
    from aiogram.types import CallbackQuery, Chat, Message, User

    from bot.speedups.gates import Unbound, _state_names

    chat, user = Chat(id=1, type="private"), User(id=1, is_bot=False, first_name="Анна")
    for f in handler.filters or ():
        callback = inspect.unwrap(f.callback)  # (a State runs inline: bot.telegram.dispatcher wrapped it)
        if isinstance(callback, Command):
            return [(Message(message_id=1, date=datetime.now(timezone.utc), chat=chat, from_user=user,
                             text=f"{callback.prefix[0]}{command}@nastavnik_bot x"), None)
                    for command in callback.commands]
        if isinstance(callback, CallbackQueryFilter):
            data = callback.callback_data
            return [(CallbackQuery(id="1", from_user=user, chat_instance="c",
                                   data=f"{data.__prefix__}{data.__separator__}1"), None)]
        try:
            states = _state_names(callback.states if isinstance(callback, StateFilter) else [callback])
        except Unbound:
            continue
        if isinstance(callback, (StateFilter, State)) or states:
            return [(CallbackQuery(id="1", from_user=user, chat_instance="c", data="x"), s) for s in states] + [
                (Message(message_id=1, date=datetime.now(timezone.utc), chat=chat, from_user=user, text="x"), s)
                for s in states]
    raise AssertionError(f"{handler.callback.__name__} has no binding filter, yet its router has a gate")


async def test_every_handler_passes_its_routers_gate_and_other_updates_skip_the_router(settings, db):
    """A router's gate is a necessary condition of each of its handlers: whatever a handler's command,
    button or dialog state, the gate lets it through; an update for another feature is stopped."""
    from datetime import datetime, timezone

    from aiogram.types import Chat, Message, User

    dp = await speeded(settings, db)
    gated = 0
    for router in dp.sub_routers:
        for event_type in ("message", "callback_query"):
            gate = _gate(router, event_type)
            if gate is None:
                continue
            gated += 1
            for handler in router.observers[event_type].handlers:
                for event, raw_state in _events_for(handler):
                    if event_type == "message" and not isinstance(event, Message):
                        continue
                    if event_type == "callback_query" and isinstance(event, Message):
                        continue
                    assert await gate(event, raw_state=raw_state), (router.name, handler.callback.__name__)
    assert gated >= 20  # most routers are gated (not, say, none found)
    surveys = next(r for r in dp.sub_routers if r.name == "surveys")
    other = Message(message_id=1, date=datetime.now(timezone.utc), chat=Chat(id=1, type="private"),
                    from_user=User(id=1, is_bot=False, first_name="Анна"), text="/registry")
    assert not await _gate(surveys, "message")(other, raw_state=None)


def test_a_router_with_a_handler_bound_to_nothing_or_with_routers_inside_gets_no_gate():
    from aiogram import F, Router
    from aiogram.filters import Command

    from bot.speedups.gates import gate_for

    bound, loose, outer = Router(), Router(), Router()
    for router in (bound, loose):
        router.message.register(lambda message: None, Command("program"))
    loose.message.register(lambda message: None, F.text)  # free text: could be anything
    outer.message.register(lambda message: None, Command("journal"))
    outer.include_router(Router())
    assert gate_for(bound, "message") is not None
    assert gate_for(loose, "message") is None and gate_for(outer, "message") is None


async def test_a_command_tries_few_handlers(emulator, db, bot_app, monkeypatch):
    """/registry is offered to the handlers of the routers that could take it, not to all of them one by
    one (before the gates: 19 handler checks for it, 57 an update on average in the benchmark)."""
    from aiogram.dispatcher.event.handler import HandlerObject

    checks: list[str] = []
    check = HandlerObject.check

    async def counting(self, *args, **kwargs):
        checks.append(getattr(self.callback, "__name__", "?"))
        return await check(self, *args, **kwargs)

    org_id = await make_org(db)
    curator = ScriptedUser(emulator, 602, "Анна")
    await onboard(curator, await make_invite(db, org_id, Role.CURATOR), name="Куратор Анна Андреевна")
    monkeypatch.setattr(HandlerObject, "check", counting)
    assert "Реестр" in (await curator.send("/registry")).text
    assert 0 < len(checks) <= 10, checks  # (19 without the gates)


def test_a_keyboard_built_without_deep_copies_is_the_one_aiogram_builds():
    def build(builder):
        for accept in (True, False, True):
            builder.button(text=f"кнопка {accept}", callback_data=ConsentCb(accept=accept))
        return builder.adjust(2, 1).as_markup()

    keyboard.install(Keyboard)
    assert keyboard.installed(Keyboard) and not keyboard.installed(InlineKeyboardBuilder)
    assert build(Keyboard()) == build(InlineKeyboardBuilder())
    shallow = Keyboard()
    shallow.button(text="a", callback_data="a")
    assert shallow.export() is not shallow.export()  # still a new list a call: the builder may append to it


async def test_with_speedups_off_the_dispatcher_is_aiograms_own(emulator, db_url):
    settings = Settings.explicit(token=emulator.token, db_url=db_url, api_base=emulator.base_url, speedups=False)
    app = BotApp.create(settings)
    try:
        assert gates_of(app.dispatcher) == []
        assert any(not o.awaitable for o in callables(app.dispatcher))  # magic filters go to a thread, as aiogram does
    finally:
        await app.close()
    settings = Settings.explicit(token=emulator.token, db_url=db_url, api_base=emulator.base_url)
    app = BotApp.create(settings)
    try:
        assert len(gates_of(app.dispatcher)) >= 20
        assert all(o.awaitable for o in callables(app.dispatcher))
    finally:
        await app.close()
