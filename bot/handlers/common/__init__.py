"""/help, /cancel and /language: they work everywhere, inside any dialog too.

The Telegram side (router, views, callbacks); what every feature shares."""
from bot.handlers.common.router import create_router

__all__ = ["create_router"]
