"""Business rules and transactions. Handlers call these; these call repositories."""
