"""/registry: the bank of mentors and mentees of the curator's organisation.

The Telegram side of registry (router, views, callbacks, states); its rules are bot/services/registry."""
from bot.handlers.registry.router import create_router

__all__ = ["create_router"]
