"""/log and /journal: the mentor's meeting journal, confirmed by the mentees.

The Telegram side of journal (router, views, callbacks, states); its rules are bot/services/journal."""
from bot.handlers.journal.router import create_router

__all__ = ["create_router"]
