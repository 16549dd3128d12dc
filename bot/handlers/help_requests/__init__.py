"""help_requests: the Telegram side (router, views, callbacks, dialog states)."""
from bot.handlers.help_requests.router import create_router

__all__ = ["create_router"]
