"""Translations: one TOML catalogue a locale in `locales/`, Russian first.

Parameters are HTML-escaped when substituted (messages go out with parse_mode=HTML);
pass a `Safe` string for HTML rendered already. Button texts use `plain()`: Telegram
does not parse HTML in buttons.
"""
from __future__ import annotations

import html
import tomllib
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LOCALE = "ru"


class Safe(str):
    """A string that is valid HTML already and must not be escaped again."""


def escape(value: Any) -> str:
    return value if isinstance(value, Safe) else html.escape(str(value), quote=False)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


class Translator:
    def __init__(self, locale: str, catalog: dict[str, str], fallback: dict[str, str]) -> None:
        self.locale = locale
        self._catalog = catalog
        self._fallback = fallback

    def _template(self, key: str) -> str:
        template = self._catalog.get(key) or self._fallback.get(key)
        if template is None:
            raise KeyError(f"no text for {key!r} in locale {self.locale!r}")
        return template

    def __call__(self, key: str, **params: Any) -> str:
        """HTML text with escaped parameters."""
        template = self._template(key)
        return template.format_map({k: escape(v) for k, v in params.items()}) if params else template

    def plain(self, key: str, **params: Any) -> str:
        """Plain text (buttons, command descriptions): nothing is escaped."""
        template = self._template(key)
        return template.format_map({k: str(v) for k, v in params.items()}) if params else template

    def has(self, key: str) -> bool:
        return key in self._catalog or key in self._fallback


class I18n:
    def __init__(self, directory: Path = LOCALES_DIR, default: str = DEFAULT_LOCALE) -> None:
        self.catalogs = {
            path.stem: _flatten(tomllib.loads(path.read_text(encoding="utf-8")))
            for path in sorted(directory.glob("*.toml"))
        }
        if default not in self.catalogs:
            raise ValueError(f"no catalogue for the default locale {default!r} in {directory}")
        self.default = default

    @property
    def locales(self) -> list[str]:
        return list(self.catalogs)

    def get(self, locale: str | None) -> Translator:
        code = locale if locale in self.catalogs else self.default
        return Translator(code, self.catalogs[code], self.catalogs[self.default])
