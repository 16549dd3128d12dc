"""Per-role command menus (setMyCommands with a chat scope) and per-role help."""
from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.i18n import I18n, Translator
from db.models import Role

STRANGER_COMMANDS = ("start", "help")
MEMBER_COMMANDS = ("profile", "consent", "language", "help", "cancel")
ROLE_COMMANDS: dict[Role, tuple[str, ...]] = {
    Role.MENTEE: ("ask", "mentors", "program", "meetings", "journal", "sessions", "surveys", "practices",
                  "documents"),
    Role.MENTOR: ("requests", "log", "meetings", "journal", "program", "sessions", "surveys", "practices",
                  "documents"),
    Role.CURATOR: ("summary", "registry", "pair", "program", "journal", "requests", "sessions", "surveys", "export",
                   "practices", "documents", "catalogue", "invite"),
    Role.HEAD: ("approvals", "summary", "registry", "program", "journal", "requests", "surveys", "export",
                "documents", "invite"),
    Role.COORDINATOR: ("summary", "export", "sessions", "practices", "documents"),
    Role.GUEST: ("sessions",),
}


def commands_for(roles: set[Role]) -> list[str]:
    if not roles:
        return list(STRANGER_COMMANDS)
    names: list[str] = []
    for role in Role:
        if role in roles:
            names += [c for c in ROLE_COMMANDS.get(role, ()) if c not in names]
    return names + [c for c in MEMBER_COMMANDS if c not in names]


def _commands(t: Translator, names: list[str]) -> list[BotCommand]:
    return [BotCommand(command=name, description=t.plain(f"command.{name}")) for name in names]


async def set_default_menu(bot: Bot, i18n: I18n) -> None:
    """The menu strangers see, in each language; Russian where the client's language has none."""
    await bot.set_my_commands(_commands(i18n.get(i18n.default), list(STRANGER_COMMANDS)),
                              scope=BotCommandScopeDefault())
    for locale in i18n.locales:
        if locale != i18n.default:
            await bot.set_my_commands(_commands(i18n.get(locale), list(STRANGER_COMMANDS)),
                                      scope=BotCommandScopeDefault(), language_code=locale)


async def set_chat_menu(bot: Bot, chat_id: int, roles: set[Role], t: Translator) -> None:
    await bot.set_my_commands(_commands(t, commands_for(roles)), scope=BotCommandScopeChat(chat_id=chat_id))


def help_text(t: Translator, roles: set[Role]) -> str:
    if not roles:
        return t("help.stranger")
    parts = [t("help.member")]
    for role in Role:
        if role in roles:
            parts.append(t(f"help.{role.value}"))
    return "\n\n".join(parts)
