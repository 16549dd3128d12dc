"""The emulator rejects what Telegram rejects, so the e2e tests' `rejections == []` means something."""
from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramUnauthorizedError
from aiogram.types import BotCommand, BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from tests.emulator import BotAPIEmulator
from tests.emulator.telegram_html import HTMLParseError, parse_html


@pytest.fixture
async def api(emulator: BotAPIEmulator):
    session = AiohttpSession(api=TelegramAPIServer.from_base(emulator.base_url))
    bot = Bot(emulator.token, session=session, default=DefaultBotProperties(parse_mode="HTML"))
    emulator.user(42, "Тест")
    await emulator.push_message(42, text="hi")  # the user has started a chat with the bot
    yield bot
    await session.close()


@pytest.mark.parametrize("text, plain", [
    ("<b>жирный</b> &amp; &lt;tag&gt; &quot;q&quot; &#169;", 'жирный & <tag> "q" ©'),
    ('<a href="https://example.org">ссылка</a> <tg-spoiler>s</tg-spoiler>', "ссылка s"),
    ('<span class="tg-spoiler">s</span><pre><code class="language-python">x</code></pre>', "sx"),
    ("<blockquote expandable>цитата</blockquote>", "цитата"),
])
def test_supported_html(text, plain):
    assert parse_html(text) == plain


@pytest.mark.parametrize("text, error", [
    ("<script>alert(1)</script>", 'Unsupported start tag "script"'),
    ("<b>не закрыт", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>перепутаны</b></i>", "Unexpected end tag"),
    ("A & B", "Character entity expected"),
    ("1 < 2", 'Unsupported start tag ""'),
    ("2 > 1", "Unexpected character"),
    ("<span>x</span>", 'must have class "tg-spoiler"'),
    ("<a>x</a>", 'must have attribute "href"'),
])
def test_rejected_html(text, error):
    with pytest.raises(HTMLParseError, match=error):
        parse_html(text)


async def test_limits_are_enforced(emulator, api):
    await api.send_message(42, "я" * 4096)
    await api.send_message(42, "<b>" + "я" * 4096 + "</b>")  # the limit counts text after parsing
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await api.send_message(42, "я" * 4097)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await api.send_message(42, "😀" * 2049)  # UTF-16 code units, as Telegram counts
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await api.send_message(42, "<script>")
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await api.send_message(42, "<b> </b>")
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="d" * 65)]])
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await api.send_message(42, "кнопка", reply_markup=markup)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await api.send_message(777, "кому?")
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await api.send_document(42, BufferedInputFile(b"1", "a.txt"), caption="я" * 1025)
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await api.set_my_commands([BotCommand(command="Bad-Command", description="x")])
    assert len(emulator.rejections) == 8


async def test_edits_deletes_and_callback_answers(emulator, api):
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="a", callback_data="a")]])
    sent = await api.send_message(42, "<b>раз</b>", reply_markup=markup)
    edited = await api.edit_message_text("два", chat_id=42, message_id=sent.message_id, reply_markup=markup)
    assert edited.text == "два"
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await api.edit_message_text("два", chat_id=42, message_id=sent.message_id, reply_markup=markup)
    await api.edit_message_reply_markup(chat_id=42, message_id=sent.message_id, reply_markup=None)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await api.edit_message_reply_markup(chat_id=42, message_id=sent.message_id, reply_markup=None)
    assert await api.delete_message(42, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await api.delete_message(42, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await api.edit_message_text("три", chat_id=42, message_id=999)
    _, query_id = await emulator.push_callback(42, sent.message_id, "a")
    assert await api.answer_callback_query(query_id, text="ok")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await api.answer_callback_query(query_id)
    document = await api.send_document(42, BufferedInputFile(b"data", "report.xlsx"), caption="<i>отчёт</i>")
    assert document.document.file_name == "report.xlsx" and document.caption == "отчёт"
    photo = await api.send_photo(42, BufferedInputFile(b"png", "chart.png"))
    assert photo.photo


async def test_get_updates_offset_semantics(emulator, api):
    emulator.user(43, "Второй")
    first = await emulator.push_message(43, text="1")
    second = await emulator.push_message(43, text="2")
    updates = await api.get_updates(offset=first, timeout=0)
    assert [u.update_id for u in updates][-2:] == [first, second]
    updates = await api.get_updates(offset=second, timeout=0)  # confirms everything before `second`
    assert [u.update_id for u in updates] == [second]
    await emulator.wait_processed(first)
    waiting = asyncio.create_task(api.get_updates(offset=second + 1, timeout=5))
    await asyncio.sleep(0.1)
    third = await emulator.push_message(43, text="3")  # long polling wakes up at once
    updates = await asyncio.wait_for(waiting, 2)
    assert [u.update_id for u in updates] == [third]
    assert updates[0].message.text == "3"


async def test_blocked_user_and_wrong_token(emulator, api):
    emulator.blocked.add(42)
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await api.send_message(42, "привет")
    assert emulator.rejections == []  # a 403 is the user's doing, not a malformed request
    session = AiohttpSession(api=TelegramAPIServer.from_base(emulator.base_url))
    stranger = Bot("999:WRONG-token", session=session)
    with pytest.raises(TelegramUnauthorizedError):
        await stranger.get_me()
    await session.close()


async def test_fault_injection(emulator, api):
    from tests.emulator.server import TelegramError

    async def once_429(method, params):
        emulator.fault_hook = None
        return TelegramError(429, "Too Many Requests: retry after 1", {"retry_after": 1})

    emulator.fault_hook = once_429
    from aiogram.exceptions import TelegramRetryAfter

    with pytest.raises(TelegramRetryAfter) as info:
        await api.send_message(42, "x")
    assert info.value.retry_after == 1
    assert (await api.send_message(42, "y")).text == "y"
