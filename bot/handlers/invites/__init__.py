"""/invite: a curator (or head) creates an invitation link for a role in their organisation.

The Telegram side of invites (router, views, callbacks); its rules are bot/services/invites."""
from bot.handlers.invites.router import create_router

__all__ = ["create_router"]
