"""Console URLs, built from CLOUDTUNER_BASE_URL, so every message can link to the object it shows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Console:
    base: str

    def home(self) -> str:
        return f"{self.base}/"

    def resources(self) -> str:
        return f"{self.base}/resources"

    def resource(self, resource_id: int) -> str:
        return f"{self.base}/resources/{resource_id}"

    def environments(self) -> str:
        return f"{self.base}/environments"

    def environment(self, environment_id: int) -> str:
        return f"{self.base}/environments/{environment_id}"

    def pool(self, pool_id: int) -> str:
        return f"{self.base}/pools/{pool_id}"

    def alerts(self) -> str:
        return f"{self.base}/alerts"

    def schedules(self) -> str:
        return f"{self.base}/schedules"

    def schedule(self, schedule_id: int) -> str:
        return f"{self.base}/schedules/{schedule_id}"

    def members(self) -> str:
        return f"{self.base}/members"

    def sign_in(self, token: str) -> str:
        return f"{self.base}/signin/link/{token}"

    def slack_install(self) -> str:
        return f"{self.base}/slack/install"
