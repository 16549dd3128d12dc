"""The period a document covers: the school year so far (the default), the last school year, or a period
typed as «ДД.ММ.ГГГГ — ДД.ММ.ГГГГ». School years begin on 1 September (seed 003's plan runs by them)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.services.errors import InvalidInput
from bot.services.surveys import school_year

DAY = "%d.%m.%Y"
LONGEST_DAYS = 3 * 366  # a longer period is a typing slip rather than a document anyone files
_DATES = re.compile(r"^\s*(\d{1,2}\.\d{1,2}\.\d{4})\s*(?:[-–—]|по|до)?\s*(\d{1,2}\.\d{1,2}\.\d{4})\s*$")


class Period(StrEnum):
    YEAR = "year"  # this school year so far
    LAST_YEAR = "last"  # the school year before, 1 September to 31 August


@dataclass(frozen=True)
class Span:
    first: date
    last: date

    @property
    def text(self) -> str:
        return f"{self.first.strftime(DAY)} — {self.last.strftime(DAY)}"


def span_of(period: Period, today: date) -> Span:
    year = school_year(today)
    if period == Period.LAST_YEAR:
        return Span(date(year - 1, 9, 1), date(year, 8, 31))
    return Span(date(year, 9, 1), today)


def typed_span(text: str) -> Span:
    """«01.09.2025 — 31.12.2025» (a hyphen, a dash or a space between): InvalidInput otherwise, or when the
    period runs backwards or spans more than three years."""
    found = _DATES.match(text or "")
    if found is None:
        raise InvalidInput("documents.bad_period")
    try:
        first, last = (datetime.strptime(d, DAY).date() for d in found.groups())
    except ValueError:
        raise InvalidInput("documents.bad_period") from None
    if last < first or (last - first).days > LONGEST_DAYS:
        raise InvalidInput("documents.bad_period")
    return Span(first, last)
