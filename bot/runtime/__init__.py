"""The bot's running machinery beside the features: leader election, the scheduler and its jobs, the
outbox's sender, started and stopped together by the backbone."""
