"""A local Telegram Bot API emulator and scripted users that drive a bot over real HTTP."""
from tests.emulator.server import DEFAULT_TOKEN, BotAPIEmulator
from tests.emulator.users import ScriptedUser

__all__ = ["DEFAULT_TOKEN", "BotAPIEmulator", "ScriptedUser"]
