"""Telegram plumbing: the dispatcher, its middlewares, dialog storage, the webhook and the Bot API's
retries. Features live in bot/handlers/ and bot/services/."""
