"""The mix: how an anonymous answer reaches the database without being tied to its author there.

A reader of the database files (SQLite's WAL and free pages, PostgreSQL's heap, xmin and dead tuples)
sees every committed transaction, in order. So no transaction may hold a person's participation mark
beside fewer than `k` answers (k = the organisation's minimum, at least 3):

- a submission is sealed (AES-GCM) with a key that lives in this process's memory only and is stored in
  `survey_mix` beside its author: the files show *that* the person answered, never what;
- once the mix holds enough entries, a batch of `k` of them is opened and written to `survey_responses`
  in random order with random keys, in one transaction with those `k` people's marks; the entries
  are deleted (SQLite zeroes them: `secure_delete`; the WAL is checkpointed and truncated after);
- an ordinary survey keeps `k` entries in the mix until it closes (a batch is `k` chosen at random once
  there are `2k`), so the closing batch has at least `k` too; a pooled questionnaire, whose results are
  shown while it is open, writes every `k` entries at once, so its results move in steps of `k`;
- at closing, entries that cannot make a batch of `k` are not written: their authors are told why.

A restart with another key cannot open the entries it finds: they are deleted and their authors asked to
answer again. Webhook workers behind the router share their parent's key (`NASTAVNIK_MIX_KEY`).
The cost of one answer is one row written, and one batch of `k` rows every `k` answers, whatever the
survey's size.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_ENV = "NASTAVNIK_MIX_KEY"  # hex; set by the webhook router for its workers, never in .env
_rng = random.SystemRandom()


class MixKey:
    """The key of this process (and of the workers it starts)."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or AESGCM.generate_key(bit_length=256)
        self.id = hashlib.sha256(self.key).hexdigest()[:16]
        self._aead = AESGCM(self.key)

    def seal(self, answers: dict[str, Any], survey_id: int) -> bytes:
        nonce = os.urandom(12)
        data = json.dumps(answers, ensure_ascii=False, sort_keys=True).encode()
        return nonce + self._aead.encrypt(nonce, data, str(survey_id).encode())

    def open(self, sealed: bytes, survey_id: int) -> dict[str, Any]:
        return json.loads(self._aead.decrypt(sealed[:12], sealed[12:], str(survey_id).encode()))


def _from_environment() -> MixKey:
    raw = os.environ.get(KEY_ENV)
    return MixKey(bytes.fromhex(raw)) if raw else MixKey()


_current = _from_environment()


def current() -> MixKey:
    return _current


def start_afresh() -> MixKey:
    """A new key, as a restart of the bot would have (tests); entries sealed before cannot be opened."""
    global _current
    _current = MixKey()
    return _current


def new_entry_id() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Entry:
    id: str
    person_id: int
    answers: dict[str, Any]


def choose_batch(entries: list[Entry], minimum: int, *, pooled: bool, closing: bool) -> list[Entry]:
    """Which entries to write now (see the module). Empty: wait (or, closing, too few to write)."""
    if closing or pooled:
        return list(entries) if len(entries) >= minimum else []
    if len(entries) >= 2 * minimum:
        return _rng.sample(entries, minimum)
    return []


def shuffled(entries: list[Entry]) -> list[Entry]:
    out = list(entries)
    _rng.shuffle(out)
    return out
