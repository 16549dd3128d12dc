"""consent: the Telegram side (router, views, callbacks, dialog states)."""
from bot.handlers.consent.router import create_router

__all__ = ["create_router"]
