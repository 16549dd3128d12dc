"""Split a long HTML message into parts Telegram accepts: at most 4096 characters of visible text
each (counted in UTF-16 units, as Telegram does), cut at line boundaries where possible, with
formatting tags closed at the end of a part and reopened at the start of the next."""
from __future__ import annotations

import html
import re

TEXT_LIMIT = 4096
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\s+|[^<&\s]+|.", re.S)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>")


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _visible(token: str) -> int:
    if token.startswith("<") and _TAG.fullmatch(token):
        return 0
    if token.startswith("&") and token.endswith(";"):
        return _units(html.unescape(token))
    return _units(token)


def visible_length(text: str) -> int:
    return sum(_visible(t) for t in _TOKEN.findall(text))


def _cut(text: str, room: int) -> str:
    """The longest start of `text` that fits in `room` UTF-16 units."""
    size = 0
    for index, char in enumerate(text):
        size += 2 if ord(char) > 0xFFFF else 1
        if size > room:
            return text[:index]
    return text


def _pieces(line: str, limit: int) -> list[str]:
    """Cut one over-long line at spaces, or anywhere outside tags and entities."""
    pieces: list[str] = []
    current, size = "", 0
    for token in _TOKEN.findall(line):
        length = _visible(token)
        while length > limit:  # a word longer than a message: cut it by characters
            head = _cut(token, limit - size)
            pieces.append(current + head)
            token = token[len(head):]
            length, current, size = _units(token), "", 0
        if size + length > limit:
            pieces.append(current)
            current, size = "", 0
            if token.isspace():
                continue
        current += token
        size += length
    if current:
        pieces.append(current)
    return pieces


def _balance(parts: list[str]) -> list[str]:
    balanced: list[str] = []
    carried: list[tuple[str, str]] = []  # (name, opening tag) still open from earlier parts
    for part in parts:
        stack = list(carried)
        for match in _TAG.finditer(part):
            closing, name = match.group(1), match.group(2).lower()
            if closing:
                if stack and stack[-1][0] == name:
                    stack.pop()
            else:
                stack.append((name, match.group(0)))
        prefix = "".join(tag for _, tag in carried)
        suffix = "".join(f"</{name}>" for name, _ in reversed(stack))
        balanced.append(prefix + part + suffix)
        carried = stack
    return balanced


def split_message(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    if visible_length(text) <= limit:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        length = visible_length(line)
        pieces = [line] if length <= limit else _pieces(line, limit)
        for piece in pieces:
            piece_size = visible_length(piece)
            joined = size + (1 if current else 0) + piece_size
            if current and joined > limit:
                parts.append("\n".join(current))
                current, size = [], 0
                joined = piece_size
            current.append(piece)
            size = joined
    if current:
        parts.append("\n".join(current))
    return [p for p in _balance(parts) if visible_length(p.strip()) or p.strip()]
