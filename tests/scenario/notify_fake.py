"""The bot's fake Slack Web API, plus what delivery must survive: outages (HTTP 500) and archived channels."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from tests.scenario.slack_fake import Call, FakeSlack


@dataclass
class TroubledSlack(FakeSlack):
    """`outage` answers the next N Web API calls with HTTP 500; posts to `archived` channels are refused."""

    outage: int = 0
    archived: set[str] = field(default_factory=set)

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if self.outage:
            self.outage -= 1
            self.calls.append(Call(method + ":500", await self._args(request)))
            return web.Response(status=500, text="<html>Internal Server Error</html>", content_type="text/html")
        if method == "chat.postMessage":
            args = await self._args(request)
            if args.get("channel") in self.archived:
                self.calls.append(Call(method + ":archived", args))
                return web.json_response({"ok": False, "error": "is_archived"})
        return await super()._api(request)

    def posts(self) -> list[dict]:
        """Every message Slack accepted, in order."""
        return [c.args for c in self.to("chat.postMessage")]
