"""Process logging on stderr: one line per record, as text or (CLOUDTUNER_LOG_FORMAT=json) one JSON object
with the request or job run it belongs to."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from core.log_context import current

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

DATABASE_LOGGERS = ("aiosqlite", "asyncpg")


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", the context's fields (request, job...), "exception"}."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage(), **current()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure(level: str, log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT))
    logging.basicConfig(level=level, handlers=[handler])
    # Libraries that log every request (azure-core its URLs and headers) and database drivers (statements with
    # their parameters: sealed secrets, password hashes) speak only when something is wrong.
    for name in ("tortoise", "apscheduler", "azure", "googleapiclient", *DATABASE_LOGGERS):
        logging.getLogger(name).setLevel(max(logging.getLevelName(level), logging.WARNING))
    logging.getLogger("azure.identity").setLevel(logging.ERROR)  # its sign-in failures reach the user translated
