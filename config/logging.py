"""Process logging: one line per record on stderr."""

import logging


def configure(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("tortoise").setLevel(max(logging.getLevelName(level), logging.WARNING))
    logging.getLogger("apscheduler").setLevel(max(logging.getLevelName(level), logging.WARNING))
