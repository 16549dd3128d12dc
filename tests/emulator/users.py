"""Scripted users: they write to the bot and press its buttons through the emulator, and read replies."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.emulator.server import BotAPIEmulator, ChatEvent, StoredMessage


@dataclass
class Reply:
    """What the bot did in this user's chat in answer to one action."""

    events: list[ChatEvent] = field(default_factory=list)
    messages: list[StoredMessage] = field(default_factory=list)  # sent or edited, current state

    @property
    def texts(self) -> list[str]:
        return [m.text or m.caption or "" for m in self.messages]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def alerts(self) -> list[str]:
        return [e.text or "" for e in self.events if e.kind == "callback_answer" and e.text]

    def __contains__(self, needle: str) -> bool:
        return any(needle in t for t in self.texts) or any(needle in a for a in self.alerts)


class ScriptedUser:
    def __init__(self, emulator: BotAPIEmulator, user_id: int, first_name: str,
                 last_name: str | None = None, language_code: str | None = "ru",
                 transcript: list[tuple[str, str]] | None = None) -> None:
        self.emulator = emulator
        self.id = user_id
        self.first_name = first_name
        emulator.user(user_id, first_name, last_name, language_code=language_code)
        # who said what, in order; several users may share one list to make a conversation
        self.transcript: list[tuple[str, str]] = transcript if transcript is not None else []

    # ------------------------------------------------------------------ acting
    async def _wait(self, update_id: int) -> Reply:
        mark = self.emulator.next_seq()
        await self.emulator.wait_processed(update_id)
        return self._collect(mark)

    def _collect(self, mark: int) -> Reply:
        reply = Reply()
        seen: set[int] = set()
        for event in self.emulator.events:
            if event.seq <= mark or event.chat_id != self.id:
                continue
            reply.events.append(event)
            if event.kind in ("send", "edit") and event.message_id not in seen:
                seen.add(event.message_id)  # type: ignore[arg-type]
                message = self.emulator.messages[self.id][event.message_id]  # type: ignore[index]
                reply.messages.append(message)
        for message in reply.messages:
            self.transcript.append(("bot", _render(message)))
        for event in reply.events:
            if event.kind == "callback_answer" and event.text:
                self.transcript.append(("bot", f"[всплывающее: {event.text}]"))
        return reply

    async def send(self, text: str) -> Reply:
        self.transcript.append((self.first_name, text))
        return await self._wait(await self.emulator.push_message(self.id, text=text))

    async def send_sticker(self) -> Reply:
        self.transcript.append((self.first_name, "[стикер]"))
        return await self._wait(await self.emulator.push_message(self.id, sticker=True))

    async def send_document(self, name: str, data: bytes, caption: str | None = None) -> Reply:
        self.transcript.append((self.first_name, f"[файл {name}]"))
        return await self._wait(await self.emulator.push_message(self.id, document=(name, data), caption=caption))

    async def send_other(self, kind: str, value: dict) -> Reply:
        """Any other kind of message: a voice note, a location, a contact, a poll, …"""
        self.transcript.append((self.first_name, f"[{kind}]"))
        return await self._wait(await self.emulator.push_message(self.id, other={kind: value}))

    async def send_in_group(self, group_id: int, text: str) -> Reply:
        return await self._wait(await self.emulator.push_message(self.id, text=text, chat_id=group_id))

    async def press(self, label: str | Callable[[str], bool], message: StoredMessage | None = None) -> Reply:
        """Press the button whose text is `label` (or contains it), on `message` or the newest one having it."""
        match = label if callable(label) else (lambda text: text == label)
        loose = None if callable(label) else (lambda text: label in text)
        candidates = [message] if message else list(reversed(self.messages()))
        for test in filter(None, (match, loose)):
            for candidate in candidates:
                for row in candidate.buttons:
                    for button in row:
                        if test(button["text"]) and "callback_data" in button:
                            self.transcript.append((self.first_name, f"[нажимает «{button['text']}»]"))
                            return await self.press_data(button["callback_data"], candidate.message_id)
        raise AssertionError(f"no button {label!r}; buttons: {self.buttons()}")

    async def press_data(self, data: str, message_id: int | None = None) -> Reply:
        """Send a callback with any data: a real button's, a stale one's or a forged one."""
        if message_id is None:
            message_id = self.messages()[-1].message_id
        update_id, _ = await self.emulator.push_callback(self.id, message_id, data)
        return await self._wait(update_id)

    # ----------------------------------------------------------------- reading
    def messages(self) -> list[StoredMessage]:
        return self.emulator.chat_messages(self.id)

    def last(self) -> StoredMessage:
        return self.messages()[-1]

    def buttons(self, message: StoredMessage | None = None) -> list[str]:
        message = message or self.last()
        return [b["text"] for row in message.buttons for b in row]

    def button_data(self, label: str, message: StoredMessage | None = None) -> str:
        message = message or self.last()
        for row in message.buttons:
            for button in row:
                if button["text"] == label or label in button["text"]:
                    return button["callback_data"]
        raise AssertionError(f"no button {label!r}; buttons: {self.buttons(message)}")


def _render(message: StoredMessage) -> str:
    text = message.text or message.caption or ""
    if message.document:
        text = f"[файл {message.document.get('file_name')}] {text}".strip()
    if message.photo:
        text = f"[картинка] {text}".strip()
    buttons = " ".join(f"[{b['text']}]" for row in message.buttons for b in row)
    return f"{text}\n{buttons}" if buttons else text
