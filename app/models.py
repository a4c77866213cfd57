"""Database models. The schema changes only through migrations in app/migrations."""
