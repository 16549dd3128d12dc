"""Whole numbers typed by people. Only ASCII digits count: `str.isdigit()` also passes «²» and other
digits that `int()` refuses, which used to crash number inputs."""
from __future__ import annotations

import re

_WHOLE = re.compile(r"[0-9]{1,9}")


def is_whole(text: str) -> bool:
    """Whether `text` is a non-negative whole number written in ASCII digits (at most nine of them)."""
    return _WHOLE.fullmatch(text) is not None


def parse_whole(text: str | None) -> int | None:
    """The number in `text` (surrounding spaces allowed), or None when it is not one."""
    stripped = (text or "").strip()
    return int(stripped) if is_whole(stripped) else None
