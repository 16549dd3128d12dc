"""nastavnik: a Telegram bot for a teachers' mentoring program."""
