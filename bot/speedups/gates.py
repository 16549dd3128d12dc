"""A gate in front of each feature router: a quick look that says "none of this router's handlers can
take this update", so aiogram does not try them one by one.

aiogram offers an update to the routers in order, and each router tries its handlers in order, running
every handler's filters until one matches: about 57 filter checks an update here (a command's text
parsed again for every command handler, a button's data for every button handler), a tenth of the
bot's CPU (bench/updates.py). Most handlers are bound to something cheap to look up: a command, a
dialog state, a button's `CallbackData` prefix. A handler's filters must all pass, so each of those is
a necessary condition. When every handler of a router's observer has one, the router gets a filter of
its own (checked once, before its handlers) that passes when any of those conditions holds for the
update: a set lookup or three. The handlers still check everything themselves; the gate only skips
routers that could not match. A router with a handler that has no such condition (free text, a catch-all)
gets no gate, and neither does a router with routers inside it (aiogram's router filter would skip those
too)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from inspect import isclass
from typing import Any

from aiogram import Dispatcher, Router
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.filters import Command, Filter, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

GATED = ("message", "callback_query")


class Unbound(Exception):
    """The filter (or the handler) is not bound to anything a gate can look up."""


@dataclass
class Gate(Filter):  # a Filter: aiogram awaits it (anything else that is not a coroutine function goes to a thread)
    commands: set[str] = field(default_factory=set)  # casefolded names, any prefix in `prefixes`
    prefixes: set[str] = field(default_factory=set)  # command prefixes ("/")
    states: set[str | None] = field(default_factory=set)  # raw dialog states
    buttons: set[tuple[str, str]] = field(default_factory=set)  # (CallbackData prefix, its separator)

    async def __call__(self, event: Any, raw_state: str | None = None) -> bool:
        if raw_state in self.states:
            return True
        if self.commands and isinstance(event, Message):
            text = event.text or event.caption
            if text and text[0] in self.prefixes:
                name = text.split(maxsplit=1)[0][1:].partition("@")[0]
                if name.casefold() in self.commands:
                    return True
        if self.buttons and isinstance(event, CallbackQuery) and event.data:
            return any(event.data.split(separator, 1)[0] == prefix for prefix, separator in self.buttons)
        return False

    def add(self, handler: HandlerObject) -> None:
        """The first filter of the handler that binds it; Unbound if none does."""
        for filter_object in handler.filters or ():
            try:
                self._add_filter(filter_object.callback)
                return
            except Unbound:
                continue
        raise Unbound

    def _add_filter(self, callback: Any) -> None:
        if isinstance(callback, Command):
            if not all(isinstance(command, str) for command in callback.commands):
                raise Unbound  # a pattern
            self.commands.update(command.casefold() for command in callback.commands)
            self.prefixes.update(callback.prefix)
        elif isinstance(callback, CallbackQueryFilter):
            data = callback.callback_data
            self.buttons.add((data.__prefix__, data.__separator__))
        elif isinstance(callback, StateFilter):
            self.states.update(_state_names(callback.states))
        elif isinstance(callback, State) or _is_group(callback):
            self.states.update(_state_names([callback]))
        else:
            raise Unbound


def _is_group(value: Any) -> bool:
    return isinstance(value, StatesGroup) or (isclass(value) and issubclass(value, StatesGroup))


def _state_names(states: Iterable[Any]) -> set[str | None]:
    names: set[str | None] = set()
    for state in states:
        if state is None or isinstance(state, str):
            name = state
        elif isinstance(state, State):
            name = state.state
        elif _is_group(state):
            names.update(type(state).__all_states_names__ if isinstance(state, StatesGroup)
                         else state.__all_states_names__)
            continue
        else:
            raise Unbound
        if name == "*":
            raise Unbound  # any state
        names.add(name)
    return names


def gate_for(router: Router, event_type: str) -> Gate | None:
    observer = router.observers[event_type]
    if router.sub_routers or not observer.handlers:
        return None
    gate = Gate()
    try:
        for handler in observer.handlers:
            gate.add(handler)
    except Unbound:
        return None
    return gate


def add_router_gates(dp: Dispatcher) -> None:
    """Put a gate in front of every router it can."""
    for router in dp.sub_routers:
        for event_type in GATED:
            gate = gate_for(router, event_type)
            if gate is not None:
                router.observers[event_type].filter(gate)
