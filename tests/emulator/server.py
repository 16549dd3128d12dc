"""An aiohttp server speaking the Bot API's HTTP protocol, with Telegram's checks and limits.

It keeps chats, messages and pending updates in memory, serves long polling with offset
semantics, records every call and every rejection, and can inject faults. Tests assert
`emulator.rejections == []`: a bot that makes Telegram answer 400 fails its tests.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from tests.emulator.telegram_html import HTMLParseError, parse_html, utf16_len

DEFAULT_TOKEN = "1234567:TEST-emulator-token_abcdefghijklmnopqrstu"
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_TEXT_LIMIT = 200
JSON_FIELDS = {
    "reply_markup", "scope", "commands", "link_preview_options", "entities",
    "caption_entities", "reply_parameters", "allowed_updates", "media",
}
DEPRECATED_PARAMS = frozenset({"disable_web_page_preview"})
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


def max_in_any_second(times: list[float]) -> int:
    """The most events within any one-second window (to check a rate cap)."""
    times = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


class TelegramError(Exception):
    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


async def injected_fault(kind: str, hang: float) -> TelegramError:
    """A fault as the bot meets it: "429" (retry after 1 s), a 5xx code ("500", "502", …), or "timeout":
    no answer for `hang` seconds (longer than the bot waits), so the request never reaches "Telegram"."""
    if kind == "429":
        return TelegramError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
    if kind == "timeout":
        await asyncio.sleep(hang)
        return TelegramError(500, "Internal Server Error")
    return TelegramError(int(kind), "Internal Server Error" if kind == "500" else "Bad Gateway")


def bad_request(description: str) -> TelegramError:
    return TelegramError(400, f"Bad Request: {description}")


@dataclass
class StoredMessage:
    chat_id: int
    message_id: int
    date: int
    from_bot: bool
    text: str | None = None  # plain text, as Telegram shows it
    html: str | None = None  # what the bot sent, before parsing
    caption: str | None = None
    reply_markup: dict | None = None
    document: dict | None = None
    photo: list | None = None
    sticker: dict | None = None
    deleted: bool = False
    edits: int = 0

    @property
    def buttons(self) -> list[list[dict]]:
        if not self.reply_markup:
            return []
        return self.reply_markup.get("inline_keyboard") or self.reply_markup.get("keyboard") or []


@dataclass
class Call:
    seq: int
    method: str
    params: dict
    ok: bool
    description: str | None = None
    at: float = 0.0  # time.monotonic() when the request arrived


@dataclass
class ChatEvent:
    """Something the bot did in a chat: sent, edited, deleted a message, or answered a button."""

    seq: int
    kind: str  # send | edit | delete | callback_answer
    chat_id: int
    message_id: int | None = None
    text: str | None = None
    show_alert: bool = False


FaultHook = Callable[[str, dict], Awaitable[TelegramError | None]]


@dataclass
class BotAPIEmulator:
    token: str = DEFAULT_TOKEN
    username: str = "nastavnik_test_bot"
    first_name: str = "Наставник"
    host: str = "127.0.0.1"
    port: int = 0
    calls: list[Call] = field(default_factory=list)
    rejections: list[Call] = field(default_factory=list)
    events: list[ChatEvent] = field(default_factory=list)
    messages: dict[int, dict[int, StoredMessage]] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    users: dict[int, dict] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    fault_hook: FaultHook | None = None
    # called with every ChatEvent as it happens (the benchmark measures latency with it)
    event_hook: Callable[[ChatEvent], None] | None = None

    def __post_init__(self) -> None:
        self.bot_id = int(self.token.split(":")[0])
        self._pending: list[dict] = []
        self._update_ids = itertools.count(1)
        self._confirmed = 0
        self._changed = asyncio.Condition()
        self._seq = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._callbacks: dict[str, dict] = {}
        self._callback_ids = itertools.count(1000)
        self._files: dict[str, bytes] = {}
        self._file_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.polls = 0
        # webhook mode (setWebhook): updates are POSTed to the bot, retried until it answers 2xx
        self.webhook: dict[str, Any] | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status) of every POST
        self.webhook_updates: dict[int, dict] = {}
        self._done: set[int] = set()
        self._delivery_tasks: set[asyncio.Task] = set()
        self._webhook_client: Any = None  # one aiohttp session for deliveries: Telegram keeps connections too

    # ----------------------------------------------------------------- lifecycle
    async def start(self) -> str:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.base_url

    async def stop(self) -> None:
        for task in list(self._delivery_tasks):
            task.cancel()
        if self._webhook_client is not None:
            await self._webhook_client.close()
            self._webhook_client = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # ------------------------------------------------------------ what users do
    def user(self, user_id: int, first_name: str, last_name: str | None = None,
             username: str | None = None, language_code: str | None = "ru") -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        return user

    def open_chat(self, user_id: int, first_name: str) -> None:
        """A user who pressed Start some time ago: the bot may write to them."""
        self.user(user_id, first_name)
        self.messages.setdefault(user_id, {})

    def delivered(self, method: str = "sendMessage") -> list[Call]:
        return [c for c in self.calls if c.ok and c.method == method]

    def _chat(self, chat_id: int) -> dict:
        if chat_id < 0:
            return {"id": chat_id, "type": "group", "title": "Учительская"}
        user = self.users.get(chat_id, {})
        chat = {"id": chat_id, "type": "private", "first_name": user.get("first_name", "User")}
        if user.get("username"):
            chat["username"] = user["username"]
        return chat

    def _store(self, chat_id: int, from_bot: bool, **fields: Any) -> StoredMessage:
        ids = self._message_ids.setdefault(chat_id, itertools.count(1))
        message = StoredMessage(chat_id=chat_id, message_id=next(ids), date=int(time.time()),
                                from_bot=from_bot, **fields)
        self.messages.setdefault(chat_id, {})[message.message_id] = message
        return message

    def _enqueue(self, update: dict) -> int:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **update}
        if self.webhook is not None:
            self._deliver(update)
        else:
            self._pending.append(update)
        return update_id

    def _deliver(self, update: dict) -> None:
        task = asyncio.get_running_loop().create_task(self._post_update(update))
        self._delivery_tasks.add(task)
        task.add_done_callback(self._delivery_tasks.discard)

    async def _post_update(self, update: dict, retries: int = 20) -> None:
        """As Telegram does: POST the update with the secret header; retry until a 2xx answer."""
        import aiohttp

        assert self.webhook is not None
        self.webhook_updates[update["update_id"]] = update
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook["secret"]} if self.webhook["secret"] else {}
        if self._webhook_client is None:
            self._webhook_client = aiohttp.ClientSession()
        for _ in range(retries):
            try:
                async with self._webhook_client.post(self.webhook["url"], json=update, headers=headers) as response:
                    self.webhook_deliveries.append((update["update_id"], response.status))
                    if 200 <= response.status < 300:
                        async with self._changed:
                            self._done.add(update["update_id"])
                            self._changed.notify_all()
                        return
            except aiohttp.ClientError:
                self.webhook_deliveries.append((update["update_id"], 0))
            await asyncio.sleep(0.2)

    async def redeliver(self, update_id: int) -> None:
        """The same update once more (Telegram does this when an answer is late)."""
        await self._post_update(self.webhook_updates[update_id])

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def push_message(self, user_id: int, *, text: str | None = None, chat_id: int | None = None,
                           sticker: bool = False, document: tuple[str, bytes] | None = None,
                           photo: bytes | None = None, caption: str | None = None,
                           other: dict[str, Any] | None = None) -> int:
        """A user's message; `other` adds any other kind as Telegram sends it, e.g.
        {"location": {"latitude": 55.75, "longitude": 37.62}} (shown in the chat as its kind's name)."""
        chat_id = chat_id if chat_id is not None else user_id
        fields: dict[str, Any] = {}
        payload: dict[str, Any] = {}
        if text is not None:
            fields["text"] = payload["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                payload["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        if sticker:
            fields["sticker"] = payload["sticker"] = {
                "file_id": "CAACAgIAAxkBAAIBsticker", "file_unique_id": "AgADsticker",
                "type": "regular", "width": 512, "height": 512, "is_animated": False, "is_video": False,
            }
        if document is not None:
            name, data = document
            file_id = self._save_file(data)
            fields["document"] = payload["document"] = {
                "file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name, "file_size": len(data)}
        if photo is not None:
            file_id = self._save_file(photo)
            fields["photo"] = payload["photo"] = [
                {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 640, "height": 480,
                 "file_size": len(photo)}]
        if caption is not None:
            fields["caption"] = payload["caption"] = caption
        if other:
            payload.update(other)
            fields.setdefault("caption", "[" + ", ".join(other) + "]")
        message = self._store(chat_id, from_bot=False, **fields)
        update_id = self._enqueue({"message": {
            "message_id": message.message_id, "date": message.date, "chat": self._chat(chat_id),
            "from": self.users[user_id], **payload}})
        await self._notify()
        return update_id

    async def push_callback(self, user_id: int, message_id: int, data: str,
                            chat_id: int | None = None) -> tuple[int, str]:
        chat_id = chat_id if chat_id is not None else user_id
        message = self.messages.get(chat_id, {}).get(message_id)
        query_id = str(next(self._callback_ids))
        self._callbacks[query_id] = {"answered": False, "chat_id": chat_id}
        query: dict[str, Any] = {"id": query_id, "from": self.users[user_id], "chat_instance": str(chat_id),
                                 "data": data}
        if message is not None and not message.deleted:
            query["message"] = self._message_json(message)
        else:
            query["message"] = {"message_id": message_id, "date": 0, "chat": self._chat(chat_id)}
        update_id = self._enqueue({"callback_query": query})
        await self._notify()
        return update_id, query_id

    async def push_raw(self, update: dict) -> int:
        update_id = self._enqueue(update)
        await self._notify()
        return update_id

    async def wait_processed(self, update_id: int, timeout: float = 15.0) -> None:
        """Wait until the bot has asked for updates past this one (with sequential handling: processed)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(
                lambda: self._confirmed >= update_id or update_id in self._done), timeout)

    async def wait_polling(self, timeout: float = 15.0) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: self.polls > 0), timeout)

    def chat_messages(self, chat_id: int, from_bot: bool | None = True) -> list[StoredMessage]:
        return [m for m in self.messages.get(chat_id, {}).values()
                if not m.deleted and (from_bot is None or m.from_bot == from_bot)]

    def next_seq(self) -> int:
        return next(self._seq)

    # -------------------------------------------------------------------- HTTP
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        arrived = time.monotonic()
        params = await self._params(request)
        seq = self.next_seq()
        try:
            if self.fault_hook is not None:
                fault = await self.fault_hook(method, params)
                if fault is not None:
                    raise fault
            handler = getattr(self, f"api_{method.lower()}", None)
            if handler is None:
                raise TelegramError(404, "Not Found")
            deprecated = DEPRECATED_PARAMS & params.keys()
            if deprecated:  # stricter than Telegram, which still takes them: the bot must not rely on them
                raise bad_request(f"deprecated parameter {sorted(deprecated)[0]}: use link_preview_options")
            result = await handler(params)
        except TelegramError as exc:
            call = Call(seq, method, params, False, exc.description, arrived)
            self.calls.append(call)
            if exc.code not in (429, 403) and not (exc.code >= 500):
                self.rejections.append(call)
            body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            return web.json_response(body, status=exc.code)
        self.calls.append(Call(seq, method, params, True, None, arrived))
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.method == "POST":
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, FileField):
                    params[key] = {"filename": value.filename, "data": value.file.read()}
                else:
                    params[key] = value
        params.update({k: v for k, v in request.query.items() if k not in params})
        for key in JSON_FIELDS & params.keys():
            if isinstance(params[key], str):
                try:
                    params[key] = json.loads(params[key])
                except json.JSONDecodeError:
                    raise bad_request(f"can't parse {key} JSON object") from None
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                params[key] = params.pop(value[len("attach://"):], None)
        return params

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        data = self._files.get(request.match_info["path"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data)

    # ----------------------------------------------------------------- helpers
    def _bot_user(self) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.first_name, "username": self.username}

    def _message_json(self, m: StoredMessage) -> dict:
        data: dict[str, Any] = {"message_id": m.message_id, "date": m.date, "chat": self._chat(m.chat_id)}
        data["from"] = self._bot_user() if m.from_bot else self.users.get(m.chat_id, self._bot_user())
        for name in ("text", "caption", "document", "photo", "sticker", "reply_markup"):
            value = getattr(m, name)
            if value is not None:
                data[name] = value
        if m.edits:
            data["edit_date"] = m.date
        return data

    def _save_file(self, data: bytes) -> str:
        file_id = f"FILE{next(self._file_ids):06d}"
        self._files[file_id] = data
        return file_id

    @staticmethod
    def _int(params: dict, key: str, required: bool = True) -> int | None:
        value = params.get(key)
        if value is None:
            if required:
                raise bad_request(f"{key} is empty" if key != "chat_id" else "chat not found")
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {key}") from None

    def _target_chat(self, params: dict) -> int:
        chat_id = self._int(params, "chat_id")
        assert chat_id is not None
        if chat_id in self.blocked:
            raise TelegramError(403, "Forbidden: bot was blocked by the user")
        if chat_id not in self.messages:
            raise bad_request("chat not found")
        return chat_id

    @staticmethod
    def _parse(text: Any, parse_mode: Any, limit: int, what: str) -> str:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        if parse_mode in (None, ""):
            plain = text
        elif str(parse_mode).upper() == "HTML":
            try:
                plain = parse_html(text)
            except HTMLParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        else:
            raise bad_request(f"unsupported parse_mode {parse_mode!r}")
        if what == "text" and not plain.strip():
            raise bad_request("message text is empty")
        if utf16_len(plain) > limit:
            raise bad_request("message is too long" if what == "text" else "message caption is too long")
        return plain

    @staticmethod
    def _check_markup(markup: Any) -> dict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is not None:
            for row in rows:
                for button in row:
                    if not str(button.get("text", "")).strip():
                        raise bad_request("BUTTON_TEXT_EMPTY")
                    data = button.get("callback_data")
                    url = button.get("url")
                    if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                        raise bad_request("BUTTON_DATA_INVALID")
                    if url is not None and not re.match(r"^(https?|tg)://", str(url)):
                        raise bad_request("BUTTON_URL_INVALID")
                    if data is None and url is None and not any(
                        k in button for k in ("switch_inline_query", "copy_text", "web_app", "login_url")):
                        raise bad_request("BUTTON_TYPE_INVALID")
        for row in markup.get("keyboard") or []:
            for button in row:
                text = button if isinstance(button, str) else button.get("text", "")
                if not str(text).strip():
                    raise bad_request("BUTTON_TEXT_EMPTY")
        return markup

    def _event(self, kind: str, chat_id: int, message_id: int | None, text: str | None = None,
               show_alert: bool = False) -> None:
        event = ChatEvent(self.next_seq(), kind, chat_id, message_id, text, show_alert)
        self.events.append(event)
        if self.event_hook is not None:
            self.event_hook(event)

    def _own_message(self, params: dict, missing: str) -> StoredMessage:
        if "inline_message_id" in params:
            raise bad_request(missing)
        chat_id = self._int(params, "chat_id")
        message_id = self._int(params, "message_id")
        message = self.messages.get(chat_id, {}).get(message_id)  # type: ignore[arg-type]
        if message is None or message.deleted:
            raise bad_request(missing)
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    # ------------------------------------------------------------- API methods
    async def api_getme(self, params: dict) -> dict:
        return self._bot_user() | {"can_join_groups": True, "can_read_all_group_messages": False,
                                   "supports_inline_queries": False}

    async def api_deletewebhook(self, params: dict) -> bool:
        self.webhook = None
        return True

    async def api_setwebhook(self, params: dict) -> bool:
        url = params.get("url") or ""
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not (1 <= len(secret) <= 256 and all(c.isalnum() or c in "_-" for c in secret)):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        self.webhook = {"url": url, "secret": secret}
        for update in self._pending:  # what waited for getUpdates goes to the webhook now
            self._deliver(update)
        self._pending = []
        return True

    async def api_getwebhookinfo(self, params: dict) -> dict:
        return {"url": self.webhook["url"] if self.webhook else "", "has_custom_certificate": False,
                "pending_update_count": len(self._pending)}

    async def api_getupdates(self, params: dict) -> list[dict]:
        if self.webhook is not None:
            raise TelegramError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                     "use deleteWebhook to delete the webhook first")
        offset = self._int(params, "offset", required=False) or 0
        limit = min(max(self._int(params, "limit", required=False) or 100, 1), 100)
        timeout = float(params.get("timeout") or 0)
        async with self._changed:
            self.polls += 1
            if offset:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
                self._confirmed = max(self._confirmed, offset - 1)
            self._changed.notify_all()
            if not self._pending and timeout > 0:
                try:
                    await asyncio.wait_for(self._changed.wait_for(lambda: bool(self._pending)), timeout)
                except asyncio.TimeoutError:
                    pass
            return self._pending[:limit]

    async def api_sendmessage(self, params: dict) -> dict:
        chat_id = self._target_chat(params)
        plain = self._parse(params.get("text"), params.get("parse_mode"), TEXT_LIMIT, "text")
        markup = self._check_markup(params.get("reply_markup"))
        message = self._store(chat_id, True, text=plain, html=params.get("text"),
                              reply_markup=markup if markup and "inline_keyboard" in markup else None)
        self._event("send", chat_id, message.message_id, plain)
        return self._message_json(message)

    async def _send_file(self, params: dict, kind: str) -> dict:
        chat_id = self._target_chat(params)
        caption = params.get("caption")
        plain_caption = None
        if caption:
            plain_caption = self._parse(caption, params.get("parse_mode"), CAPTION_LIMIT, "caption")
        markup = self._check_markup(params.get("reply_markup"))
        payload = params.get(kind)
        if payload is None:
            raise bad_request(f"there is no {kind} in the request")
        if isinstance(payload, dict):
            data, name = payload["data"], payload.get("filename") or kind
            file_id = self._save_file(data)
        else:
            file_id, name, data = str(payload), kind, self._files.get(str(payload), b"")
            if str(payload) not in self._files:
                raise bad_request("wrong file identifier/HTTP URL specified")
        fields: dict[str, Any] = {"caption": plain_caption, "html": caption,
                                  "reply_markup": markup if markup and "inline_keyboard" in markup else None}
        if kind == "document":
            fields["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name,
                                  "file_size": len(data)}
        else:
            fields["photo"] = [{"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 800,
                                "height": 600, "file_size": len(data)}]
        message = self._store(chat_id, True, **fields)
        self._event("send", chat_id, message.message_id, plain_caption)
        return self._message_json(message)

    async def api_senddocument(self, params: dict) -> dict:
        return await self._send_file(params, "document")

    async def api_sendphoto(self, params: dict) -> dict:
        return await self._send_file(params, "photo")

    async def api_copymessage(self, params: dict) -> dict:
        chat_id = self._target_chat(params)
        source = self.messages.get(self._int(params, "from_chat_id"), {}).get(self._int(params, "message_id"))
        if source is None or source.deleted:
            raise bad_request("message to copy not found")
        caption = params.get("caption")
        plain_caption = source.caption
        if caption is not None:
            plain_caption = self._parse(caption, params.get("parse_mode"), CAPTION_LIMIT, "caption")
        markup = self._check_markup(params.get("reply_markup"))
        fields: dict[str, Any] = {"reply_markup": markup if markup and "inline_keyboard" in markup else None}
        if source.text is not None:
            fields.update(text=source.text, html=source.text)
        else:
            fields.update(caption=plain_caption, html=caption, document=source.document, photo=source.photo,
                          sticker=source.sticker)
        message = self._store(chat_id, True, **fields)
        self._event("send", chat_id, message.message_id, message.text or plain_caption)
        return {"message_id": message.message_id}

    async def api_editmessagetext(self, params: dict) -> dict:
        message = self._own_message(params, "message to edit not found")
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        plain = self._parse(params.get("text"), params.get("parse_mode"), TEXT_LIMIT, "text")
        markup = self._check_markup(params.get("reply_markup"))
        if params.get("text") == message.html and markup == message.reply_markup:
            raise bad_request("message is not modified: specified new message content and reply markup "
                              "are exactly the same as a current content and reply markup of the message")
        message.text, message.html, message.reply_markup = plain, params.get("text"), markup
        message.edits += 1
        self._event("edit", message.chat_id, message.message_id, plain)
        return self._message_json(message)

    async def api_editmessagereplymarkup(self, params: dict) -> dict:
        message = self._own_message(params, "message to edit not found")
        markup = self._check_markup(params.get("reply_markup"))
        if markup == message.reply_markup or (not markup and not message.reply_markup):
            raise bad_request("message is not modified: specified new message content and reply markup "
                              "are exactly the same as a current content and reply markup of the message")
        message.reply_markup = markup
        message.edits += 1
        self._event("edit", message.chat_id, message.message_id, message.text)
        return self._message_json(message)

    async def api_deletemessage(self, params: dict) -> bool:
        message = self._own_message(params, "message to delete not found")
        message.deleted = True
        self._event("delete", message.chat_id, message.message_id)
        return True

    async def api_answercallbackquery(self, params: dict) -> bool:
        query = self._callbacks.get(str(params.get("callback_query_id")))
        if query is None or query["answered"]:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > CALLBACK_TEXT_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        alert = str(params.get("show_alert", "")).lower() in ("true", "1")
        self._event("callback_answer", query["chat_id"], None, text, alert)
        return True

    @staticmethod
    def _scope_key(params: dict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        key = scope.get("type", "default")
        if "chat_id" in scope:
            key += f":{scope['chat_id']}"
        return key, str(params.get("language_code") or "")

    async def api_setmycommands(self, params: dict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be an array of at most 100 BotCommand")
        for command in commands:
            if not COMMAND_RE.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("command description is empty or too long")
        self.commands[self._scope_key(params)] = commands
        return True

    async def api_deletemycommands(self, params: dict) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    async def api_getmycommands(self, params: dict) -> list[dict]:
        return self.commands.get(self._scope_key(params), [])

    async def api_getfile(self, params: dict) -> dict:
        file_id = str(params.get("file_id"))
        if file_id not in self._files:
            raise bad_request("invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(self._files[file_id]),
                "file_path": file_id}
