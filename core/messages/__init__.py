"""The one English message catalog: every CoreError code maps to a text; Slack and the console render from it.

Each feature keeps its texts in its own module; CATALOG merges them and refuses duplicates.
"""

from __future__ import annotations

from core.messages import (alerts, auth, azure, cloud, common, constraints, datasources, demo, envs, gcp, jobs,
                           operations, orgs, pools, resources, schedules, slack)
from core.messages.fields import label

_PARTS = (common, orgs, pools, resources, constraints, envs, schedules, alerts, demo, cloud, slack, jobs, datasources, azure, gcp,
          operations, auth)


def _merge() -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in _PARTS:
        clash = merged.keys() & part.MESSAGES.keys()
        if clash:
            raise RuntimeError(f"message codes defined twice: {sorted(clash)}")
        merged.update(part.MESSAGES)
    return merged


CATALOG: dict[str, str] = _merge()


def render(code: str, **params: object) -> str:
    """The English text for a code, "{field}" read as the input's label; unknown codes and missing params never raise."""
    template = CATALOG.get(code)
    if template is None:
        return code.replace("_", " ")
    if "field" in params:
        params = {**params, "field": label(params["field"], params)}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
