"""/pair and /program: forming pairs and groups, consents, the personalised program and its plan.

The Telegram side of mentorships (router, views, callbacks, states); its rules are bot/services/mentorships."""
from bot.handlers.mentorships.router import create_router

__all__ = ["create_router"]
