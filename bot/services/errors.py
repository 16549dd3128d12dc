"""Domain errors. Each carries a locale key the handlers render for the user."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    key = "error.generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.key)


class AccessDenied(DomainError):
    key = "error.access_denied"


class NotFound(DomainError):
    key = "error.not_found"


class InvalidInput(DomainError):
    key = "error.invalid_input"


class InvalidInvite(DomainError):
    key = "invite.invalid"
