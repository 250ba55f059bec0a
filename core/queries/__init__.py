"""Read-only queries: they aggregate and list, and never change the database."""
