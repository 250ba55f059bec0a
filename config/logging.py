"""Process logging: one line per record on stderr."""

import logging


def configure(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # libraries that log every request (azure-core its URLs and headers) speak only when something is wrong
    for name in ("tortoise", "apscheduler", "azure", "googleapiclient"):
        logging.getLogger(name).setLevel(max(logging.getLevelName(level), logging.WARNING))
    logging.getLogger("azure.identity").setLevel(logging.ERROR)  # its sign-in failures reach the user translated
