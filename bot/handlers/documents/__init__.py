"""/documents: DOCX files from templates.

The Telegram side of documents (router, views, callbacks); its rules are bot/services/documents."""
from bot.handlers.documents.router import create_router

__all__ = ["create_router"]
