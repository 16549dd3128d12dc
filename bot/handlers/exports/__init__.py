"""/export: an organisation's workbook and registry CSV for its curator or head; the coordinator's workbook.

The Telegram side of exports (router, callbacks); its rules are bot/services/exports."""
from bot.handlers.exports.router import create_router

__all__ = ["create_router"]
