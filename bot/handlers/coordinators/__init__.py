"""The coordinator's /summary: the figures of the organisations below, per organisation and in total.

The Telegram side of coordinators (router, views, callbacks); its rules are bot/services/coordinators."""
from bot.handlers.coordinators.router import create_router

__all__ = ["create_router"]
