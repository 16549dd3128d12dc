"""/summary: the curator's (and head's) figures with what needs attention, the weekly digest's settings, the staff numbers (a coordinator's figures are handlers.coordinators).

The Telegram side of summary (router, views, callbacks, states); its rules are bot/services/summary."""
from bot.handlers.summary.router import create_router

__all__ = ["create_router"]
