"""Logging that carries no personal data: no names, texts, answers or Telegram ids, at any level.

- our own messages name rows by their ids (a notification, an update), never a chat or a person;
- an exception is logged as its type and its frames, without its message: a message can quote what a
  person typed (`int('²')`) or a key value (PostgreSQL's «Key (telegram_id)=(…) already exists»);
- SQL is logged without its parameters (`hide_parameters` on every engine, db/engine.py), and
  aiosqlite's own DEBUG lines, which print every statement with its parameters, are never emitted.
"""
from __future__ import annotations

import logging
import traceback
from types import TracebackType

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# loggers whose records at DEBUG and INFO carry statements with their parameters
QUIET = {"aiosqlite": logging.WARNING, "alembic.runtime.plugins": logging.WARNING}


def exception_summary(error: BaseException) -> str:
    """The type of an exception and where it was raised, without its message (nor its cause's)."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    kind = type(error)
    return f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__} (message withheld)"


class WithoutExceptionMessages(logging.Formatter):
    """A formatter that writes tracebacks as `exception_summary` does (for third-party loggers too)."""

    def formatException(self, ei: tuple[type[BaseException], BaseException, TracebackType | None]) -> str:  # noqa: N802
        return exception_summary(ei[1]) if ei[1] is not None else ""


def configure(level: str) -> None:
    """The process's logging: `level` for everything, the formatter above on the root's handlers."""
    logging.basicConfig(level=level.upper(), format=FORMAT)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(WithoutExceptionMessages(FORMAT))
    quiet()


def quiet() -> None:
    for name, floor in QUIET.items():
        logging.getLogger(name).setLevel(floor)
