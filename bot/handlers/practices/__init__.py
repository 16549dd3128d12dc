"""/practices: the best-practice bank — browse, search, submit, approve, feature.

The Telegram side of practices (router, views, callbacks, states); its rules are bot/services/practices."""
from bot.handlers.practices.router import create_router

__all__ = ["create_router"]
