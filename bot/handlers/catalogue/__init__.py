"""/catalogue: the curator edits the catalogue of difficulties and competencies.

The Telegram side of the catalogue (router, views, callbacks, states); its rules are bot/services/catalogue."""
from bot.handlers.catalogue.router import create_router

__all__ = ["create_router"]
