"""End to end, every button there is, forged: each CallbackData factory of the features (`bot/handlers/*/callbacks.py`) is packed
with the ids of another organisation's records (and with ids that do not exist) and pressed by a
stranger, by a mentee and by a curator of another school. Every press is answered, none fails a
handler or makes Telegram answer 400 (the fixture checks both), and none changes the school's records."""
from __future__ import annotations

import enum
import itertools

from aiogram.filters.callback_data import CallbackData
from sqlalchemy import func, select

from db.models import (
    HelpRequest,
    MeetingLog,
    Mentorship,
    Participant,
    PlanItem,
    Program,
    Survey,
    SurveyParticipant,
)
from tests.emulator import ScriptedUser
from tests.factories import seed_school
from tests.helpers import classes_in

STRINGS = ("all", "show", "start", "results", "launch", "delete", "close", "join", "cancel", "mentee", "mentor",
           "curator", "done", "month", "ask", "program.1", "send", "1", "young", "x" * 20)


def _factories() -> list[type[CallbackData]]:
    return classes_in("callbacks", CallbackData)


def _values(annotation: object, ids: list[int]) -> list:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return list(annotation)  # any other value does not unpack: the fallback answers it (tested below)
    if "bool" in str(annotation):
        return [True, False]
    if "int" in str(annotation):
        return [*ids, 0, 999_999]
    return list(STRINGS)


def forged(ids: list[int], per_factory: int = 12) -> list[str]:
    """Packed callback data of every factory, with field values from `ids` and the strings above."""
    packed: list[str] = []
    for cls in _factories():
        fields = {name: info.annotation for name, info in cls.model_fields.items()}
        combos = itertools.product(*(_values(kind, ids) for kind in fields.values()))
        for values in itertools.islice(combos, per_factory):
            try:
                data = cls(**dict(zip(fields, values, strict=True))).pack()
            except ValueError:
                continue  # longer than 64 bytes: Telegram would not carry it either
            packed.append(data)
        enums = [n for n, (_, kind) in enumerate(fields.items(), start=1)
                 if isinstance(kind, type) and issubclass(kind, enum.Enum)]
        if enums and packed:  # and a value no member has: it does not unpack, and the fallback answers
            parts = packed[-1].split(":")
            packed.append(":".join("bogus" if n in enums else part for n, part in enumerate(parts)))
    return packed


def test_each_factory_has_a_prefix_of_its_own():
    prefixes = [cls.__prefix__ for cls in _factories()]
    assert sorted(p for p in set(prefixes) if prefixes.count(p) > 1) == []


async def _snapshot(db) -> dict[str, object]:
    async with db() as session:
        counts = {}
        for model in (Mentorship, Participant, Program, PlanItem, MeetingLog, HelpRequest, Survey, SurveyParticipant):
            counts[model.__tablename__] = await session.scalar(select(func.count()).select_from(model))
        counts["statuses"] = sorted((await session.execute(select(Mentorship.id, Mentorship.status))).all())
        counts["requests"] = sorted((await session.execute(select(HelpRequest.id, HelpRequest.status,
                                                                  HelpRequest.mentor_id))).all())
        counts["items"] = sorted((await session.execute(select(PlanItem.id, PlanItem.done_at))).all())
        counts["surveys"] = sorted((await session.execute(select(Survey.id, Survey.status, Survey.anonymous))).all())
        return counts


async def test_every_button_forged_by_outsiders_is_refused_politely(emulator, db, bot_app):
    org_a, a = await seed_school(db, "Школа № 1", "Europe/Moscow", 4000)
    await seed_school(db, "Школа № 2", "Europe/Moscow", 4200)
    ids = sorted({org_a, a["pair"], a["group"], a["e1"], a["m1"], a["curator"], 1, 2, 3})
    stranger = ScriptedUser(emulator, 4999, "Незнакомец")
    other_mentee = ScriptedUser(emulator, 4220, "Алина из школы № 2")
    other_curator = ScriptedUser(emulator, 4200, "Куратор школы № 2")
    for user in (stranger, other_mentee, other_curator):
        emulator.open_chat(user.id, user.first_name)
        await user.send("/help")  # a message of the bot's to press buttons on
    before = await _snapshot(db)
    data = forged(ids)
    assert len({d.split(":")[0] for d in data}) == len(_factories())  # every factory is tried
    for user in (stranger, other_mentee, other_curator):
        anchor = user.messages()[0].message_id
        for packed in data:
            await user.press_data(packed, anchor)
    assert all(query["answered"] for query in emulator._callbacks.values())  # no spinning button anywhere
    assert await _snapshot(db) == before  # nothing of school № 1 changed
