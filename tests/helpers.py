"""What tests need to know about the code's layout (as opposed to tests/factories.py, which arranges data)."""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import socket
from types import ModuleType

import bot.handlers


def handler_modules(kind: str) -> list[ModuleType]:
    """Every feature's `kind` module under bot/handlers/ (callbacks, states, views), imported."""
    modules = []
    for info in sorted(pkgutil.iter_modules(bot.handlers.__path__), key=lambda i: i.name):
        if info.ispkg and importlib.util.find_spec(f"bot.handlers.{info.name}.{kind}") is not None:
            modules.append(importlib.import_module(f"bot.handlers.{info.name}.{kind}"))
    return modules


def classes_in(kind: str, base: type) -> list[type]:
    """The subclasses of `base` defined in every feature's `kind` module."""
    return [cls for module in handler_modules(kind) for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, base) and cls is not base and cls.__module__ == module.__name__]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (for a webhook worker or a router)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
