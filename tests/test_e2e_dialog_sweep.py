"""End to end: every step of every dialog meets what people really send instead of the expected answer —
a sticker, a photo, a file, a voice note, a location, a contact, a blank text, 5,000 characters, HTML and
markdown — and answers each politely without losing the dialog or making Telegram answer 400.

Each dialog step (every State in bot/handlers/*/states.py) is arranged directly in the bot's dialog storage with the
data that step keeps (the other e2e tests walk the dialogs themselves); the inputs then go through the
emulator as real updates. The fixture checks that no handler failed and the Bot API rejected nothing."""
from __future__ import annotations

import pytest
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from bot.app import BotApp
from tests.emulator import BotAPIEmulator, ScriptedUser
from tests.factories import SCHOOL_OFFSETS, SWEEP_BASE, arrange_sweep_school, open_school_chats
from tests.helpers import classes_in

NON_TEXT = [
    ("sticker", None),
    ("photo", None),
    ("document", None),
    ("voice", {"file_id": "AwACAgIAAxkBAAIvoice", "file_unique_id": "AgADvoice", "duration": 3}),
    ("location", {"latitude": 55.7558, "longitude": 37.6173}),
    ("contact", {"phone_number": "+79990000000", "first_name": "Иван"}),
    ("dice", {"emoji": "🎲", "value": 3}),
]
# a help request may be a photo or a file with a caption, and a practice's files are documents and photos:
# there they are the answer (a help request's step ends; a practice's takes the next file)
ANSWERS = {("HelpForm:text", "photo"), ("HelpForm:text", "document"), ("PracticeForm:files", "photo"),
           ("PracticeForm:files", "document")}
VOLATILE = "volatile"  # in a step's arranged data: what goes to the memory-only store
FALLBACK = "Не понимаю"  # what the bot says outside any dialog
HINTS = ("текстом", "кнопк", "Пришлите текст", "нажмите")  # … and what a step says it wants instead
TEXTS = ["   ", "Я" * 5000, '<b>жирный</b> & <script>alert("x")</script> </i>', "*жирный* _курсив_ [ссылка](http://x.ru) `код`"]


def all_states() -> list[State]:
    groups = classes_in("states", StatesGroup)
    return [s for g in groups for s in g.__all_states__]




def dialog(state: State, ids: dict) -> tuple[str, dict]:
    """Who is in `state` and the data that step keeps (see the comments in bot/handlers/*/states.py)."""
    org, pair = ids["org"], ids["pair"]
    draft_log = {"held_on": "2026-11-22", "duration": 60, "format": "in_person", "topic": "Разбор урока",
                 "summary": "Итоги"}
    build = {"title": "Опрос", "questions": [], "pending": {"text": "Вопрос?", "kind": "single"}}
    speed = {"topic": "Оценивание", "starts": "2026-11-30T12:00:00+00:00", "duration": 30, "place": "каб. 5"}
    table: dict[str, tuple[str, dict]] = {
        "Onboarding:consent": ("stranger", {VOLATILE: {"Invitation": {"token": "no-such-invite"}}}),
        "ProfileForm:step": ("curator", {"queue": ["position", "subject"], "mode": "edit", "selected": None}),
        "RegistryForm:query": ("curator", {"registry_org": org, "registry_role": "all"}),
        "PairForm:building": ("curator", {"pair_org": org, "pair_mentees": [ids["e5"]], "pair_mentor": None,
                                          "pair_form": None}),
        "DeclineForm:reason": ("e1", {"mentorship": pair}),
        "ProgramForm:goals": ("m1", {"mentorship": pair}),
        "ProgramForm:months": ("m1", {"mentorship": pair, "goals": "Освоить формирующее оценивание"}),
        "ItemForm:activity": ("m1", {"program": ids["program"], "mentorship": pair}),
        "ItemForm:due": ("m1", {"program": ids["program"], "mentorship": pair, "activity": "Открытый урок"}),
        "ItemForm:expected": ("m1", {"program": ids["program"], "mentorship": pair, "activity": "Открытый урок",
                                     "due": "2026-12-20"}),
        "ItemDoneForm:note": ("m1", {"item": ids["item"], "mentorship": pair}),
        "ItemEditForm:value": ("m1", {"item": ids["item"], "mentorship": pair, "field": "item_due"}),
        "GoalsForm:goals": ("m1", {"mentorship": pair}),
        "HelpForm:text": ("e1", {"help_topic": None}),
        "HelpForm:comment": ("e1", {"help_rated": ids["request"]}),
        "MeetingForm:comment": ("e1", {"meeting": ids["meeting"]}),
        "SpeedForm:move": ("curator", {"speed_session": 999_999}),
        "SurveyAnswering:question": ("e2", {"sv": ids["survey"], VOLATILE: {"SurveyProgress": {"question": 0}}}),
        "SurveyAnswering:confirm": ("e2", {"sv": ids["survey"], VOLATILE: {"SurveyProgress": {"question": 1}}}),
        "StaffForm:numbers": ("curator", {"staff_org": org}),
        "CatalogueForm:title": ("curator", {"org": org, "topic": 0}),
        "ReportForm:conclusions": ("curator", {"org": org}),
        "PeriodForm:span": ("curator", {"kind": "order", "target": org}),
        "RoadmapForm:value": ("curator", {"org": org, "stage": 1, "field": "dates"}),
        "ApprovalForm:order": ("head", {"approval": 999_999}),
        "ApprovalForm:comment": ("head", {"approval": 999_999}),
        "TrainingForm:held_on": ("curator", {"org": org, "person": ids["m1"], "kind": "orientation"}),
    }
    name = state.state or ""
    if name in table:
        return table[name]
    group = name.split(":")[0]
    if group == "MeetingForm":
        return "m1", {"log_mentorship": pair, "log": draft_log}
    if group == "PlanForm":  # a meeting planned, every step's data so far
        return "m1", {"mentorship": pair, "day": "2026-11-30", "at": "15:00", "duration": 60, "format": "online",
                      "place": None, "topic": "Разбор урока", "item": None}
    if group in ("PracticeForm", "PracticeSearch"):  # a practice submitted step by step, or a search
        return "m1", {"title": "Проектные задачи", "description": "Описание практики", "topic": None,
                      "program": None, "files": []}
    if group == "RetimeForm":
        return "m1", {"meeting": 999_999, "day": "2026-11-30"}
    if group == "SpeedForm":
        return "curator", {"speed": speed}
    if group == "SurveyBuild":
        return "curator", {"build": build}
    raise AssertionError(f"the sweep does not know the dialog step {name}: add it to the table")


async def put(app: BotApp, user_id: int, state: State, data: dict) -> StorageKey:
    """The step's state and data; `data[VOLATILE]` goes to the memory-only store (bot/handlers/dialogs.py)."""
    key = StorageKey(bot_id=app.bot.id, chat_id=user_id, user_id=user_id)
    storage = app.dispatcher.storage
    volatile = data.get(VOLATILE, {})
    await storage.set_state(key, state)
    await storage.set_data(key, {k: v for k, v in data.items() if k != VOLATILE})
    for name, entry in volatile.items():
        storage.volatile.put(key, name, entry)
    return key


async def say(user: ScriptedUser, kind: str, value) -> tuple:
    if kind == "sticker":
        return await user.send_sticker()
    if kind == "photo":
        return await user._wait(await user.emulator.push_message(user.id, photo=b"\x89PNG", caption="<b>фото</b>"))
    if kind == "document":
        return await user.send_document("план.xlsx", b"PK\x03\x04", caption="*план*")
    return await user.send_other(kind, value)


@pytest.mark.parametrize("state", all_states(), ids=lambda s: s.state)
async def test_every_dialog_step_answers_anything(state: State, emulator: BotAPIEmulator, db, bot_app: BotApp):
    ids = await arrange_sweep_school(db)
    open_school_chats(emulator, SWEEP_BASE)
    who, data = dialog(state, ids)
    telegram_id = 9999 if who == "stranger" else SWEEP_BASE + SCHOOL_OFFSETS[who]
    user = ScriptedUser(emulator, telegram_id, who)
    if who == "stranger":
        emulator.open_chat(user.id, who)
    for kind, value in NON_TEXT:
        key = await put(bot_app, user.id, state, data)
        reply = await say(user, kind, value)
        assert reply.texts or reply.alerts, f"{state.state}: no answer to a {kind}"
        assert FALLBACK not in reply, f"{state.state}: the step did not take a {kind}"
        if (state.state, kind) not in ANSWERS:
            assert any(hint in reply for hint in HINTS), f"{state.state}: {reply.text!r} for a {kind}"
            assert await bot_app.dispatcher.storage.get_state(key) == state.state, f"{state.state}: a {kind} ended it"
    for text in TEXTS:
        await put(bot_app, user.id, state, data)
        reply = await user.send(text)
        assert reply.texts or reply.alerts, f"{state.state}: no answer to {text[:20]!r}"
        assert FALLBACK not in reply, f"{state.state}: the step did not take {text[:20]!r}"
        for message in reply.messages:  # what the user typed and the bot repeats is shown as typed
            assert "<script>" not in (message.html or ""), f"{state.state}: unescaped HTML sent"
