"""Telegram's HTML parse mode, as strict as the real server: only its tags, balanced, entities escaped."""
from __future__ import annotations

import html
import re

SUPPORTED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji",
}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});")
_ATTR = re.compile(r"""\s*([A-Za-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


class HTMLParseError(ValueError):
    pass


def _offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


def _attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR.finditer(raw):
        attrs[match.group(1).lower()] = next(g for g in match.groups()[1:] if g is not None)
    return attrs


def parse_html(text: str) -> str:
    """Return the plain text Telegram would show, or raise HTMLParseError with Telegram's wording."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch == "<":
            match = _TAG.match(text, pos)
            if not match:
                raise HTMLParseError(f'Unsupported start tag "" at byte offset {_offset(text, pos)}')
            closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
            if closing:
                if not stack or stack[-1] != name:
                    raise HTMLParseError(
                        f'Unexpected end tag at byte offset {_offset(text, pos)}'
                    )
                stack.pop()
            else:
                if name not in SUPPORTED_TAGS:
                    raise HTMLParseError(
                        f'Unsupported start tag "{name}" at byte offset {_offset(text, pos)}'
                    )
                attrs = _attrs(rest)
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise HTMLParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {_offset(text, pos)}')
                if name == "a" and "href" not in attrs:
                    raise HTMLParseError(f'Tag "a" must have attribute "href" at byte offset {_offset(text, pos)}')
                stack.append(name)
            pos = match.end()
        elif ch == "&":
            match = _ENTITY.match(text, pos)
            if not match:
                raise HTMLParseError(f"Character entity expected at byte offset {_offset(text, pos)}")
            out.append(html.unescape(match.group(0)))
            pos = match.end()
        elif ch == ">":
            raise HTMLParseError(f"Unexpected character '>' at byte offset {_offset(text, pos)}")
        else:
            out.append(ch)
            pos += 1
    if stack:
        raise HTMLParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2
