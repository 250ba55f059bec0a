"""Cost and Usage Report column names: legacy CUR ("lineItem/UnblendedCost") and CUR 2.0 / parquet
("line_item_unblended_cost") mapped to one canonical snake_case form, and tag columns to tag keys."""

from __future__ import annotations

import re

ACCOUNT = "line_item_usage_account_id"
COST = "line_item_unblended_cost"
START = "line_item_usage_start_date"
RESOURCE = "line_item_resource_id"
PRODUCT = "line_item_product_code"
CURRENCY = "line_item_currency_code"
REGIONS = ("product_region_code", "product_region")
TAGS = "resource_tags"  # CUR 2.0: one map (parquet) or JSON (CSV) column
REQUIRED = (ACCOUNT, COST, START)
OPTIONAL = (RESOURCE, PRODUCT, CURRENCY, REGIONS[0])

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_LEGACY_TAG = re.compile(r"^resourceTags/(?:user:)?(.+)$")
_FLAT_TAG = re.compile(r"^resource_tags_(?:user_)?(.+)$")


def canonical(name: str) -> str:
    """'lineItem/UsageAccountId' -> 'line_item_usage_account_id'; snake_case names are kept."""
    parts = re.split(r"[/:]", name.strip())
    return "_".join(_CAMEL.sub("_", part).lower() for part in parts if part)


def tag_key(name: str) -> str | None:
    """The tag key a legacy tag column carries ('resourceTags/user:Team' -> 'Team'), or None."""
    found = _LEGACY_TAG.match(name) or (name != TAGS and _FLAT_TAG.match(name))
    return found.group(1) if found else None


def plan(names: list[str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(canonical -> file column for the columns used, file column -> tag key, optional columns absent)."""
    wanted = set(REQUIRED) | set(OPTIONAL) | {REGIONS[1], TAGS}
    used: dict[str, str] = {}
    for name in names:
        key = canonical(name)
        if key in wanted and key not in used:
            used[key] = name
    if REGIONS[0] not in used and REGIONS[1] in used:
        used[REGIONS[0]] = used.pop(REGIONS[1])
    used.pop(REGIONS[1], None)
    tags = {name: key for name in names if (key := tag_key(name))}
    missing = [column for column in OPTIONAL if column not in used]
    return used, tags, missing
