"""Database layer: models, repositories, engine factory and Alembic migrations."""
