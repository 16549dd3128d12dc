"""/meetings: meetings planned ahead by either side of a pair or group, answered, moved, cancelled, with
their calendar files.

The Telegram side of meetings (router, views, callbacks, states); its rules are bot/services/meetings."""
from bot.handlers.meetings.router import create_router

__all__ = ["create_router"]
