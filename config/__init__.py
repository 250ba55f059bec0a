"""Settings, logging and the composition root that builds the process."""
