"""/approvals: the head's «Утверждаю».

The Telegram side of approvals (router, views, callbacks, states); its rules are bot/services/approvals."""
from bot.handlers.approvals.router import create_router

__all__ = ["create_router"]
