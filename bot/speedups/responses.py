"""Keep aiogram's parametrised response models alive.

aiogram validates every Bot API answer with `Response[<the method's result type>]`, a pydantic generic
that pydantic caches only weakly: when nothing else holds the parametrised class it is garbage-collected
and rebuilt on the next call, which costs about 15 ms of CPU a call (measured with bench/updates.py:
most of a handler's time). Holding one reference per method for the life of the process makes every
later parametrisation a cache hit.
"""
from __future__ import annotations

import inspect

from aiogram import methods
from aiogram.client.session.base import Response

_HELD: list[type] = []


def hold_response_models() -> int:
    if _HELD:
        return len(_HELD)
    for _, method in inspect.getmembers(methods, inspect.isclass):
        returning = getattr(method, "__returning__", None)
        if returning is None:
            continue
        try:
            _HELD.append(Response[returning])  # type: ignore[index]
        except Exception:  # noqa: BLE001 - a result type pydantic cannot build ahead (built on use, as before)
            continue
    return len(_HELD)
