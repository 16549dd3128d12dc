"""The Telegram side of every feature: a package per feature (router, views, callbacks, states), with
the same name as its rules in bot/services/; `render` and `replies` are what their views share."""
