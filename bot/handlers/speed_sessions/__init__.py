"""speed_sessions: the Telegram side (router, views, callbacks, dialog states)."""
from bot.handlers.speed_sessions.router import create_router

__all__ = ["create_router"]
