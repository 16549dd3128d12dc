"""/ask, /requests and the relayed conversation of situational mentoring.

The Telegram side of help_requests (router, views, callbacks, states); its rules are bot/services/help_requests."""
from bot.handlers.help_requests.router import create_router

__all__ = ["create_router"]
