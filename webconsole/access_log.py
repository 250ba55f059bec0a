"""The HTTP access log without the one-time tokens that console links carry in their path."""

from __future__ import annotations

import re

from aiohttp.abc import AbstractAccessLogger

TOKEN_PATHS = re.compile(r"^(/invites/|/signin/link/)[^/?]+")


def redacted(path: str) -> str:
    return TOKEN_PATHS.sub(r"\1<redacted>", path)


class RedactingAccessLogger(AbstractAccessLogger):
    """One line per request (address, request line, status, size, seconds); link tokens redacted."""

    def log(self, request, response, time: float) -> None:
        self.logger.info('%s "%s %s" %s %s %.3fs', request.remote, request.method, redacted(request.path_qs),
                         response.status, response.body_length, time)
