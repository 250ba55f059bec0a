"""APScheduler wiring; each job is a thin call into a core service."""
