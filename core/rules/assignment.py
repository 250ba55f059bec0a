"""Assignment-rule conditions: validation, matching a resource, picking the first rule, reordering.

Every text comparison is case-insensitive (names, cloud ids, tag keys and values, types, regions);
the name conditions match the resource name OR its cloud resource id, like OptScale's "Name/ID".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable, Mapping, Protocol, Sequence, TypeVar

from core import validate
from core.errors import InvalidInput

MAX_VALUE_LENGTH = 255


class ConditionType(str, Enum):
    NAME_STARTS_WITH = "name_starts_with"
    NAME_ENDS_WITH = "name_ends_with"
    NAME_IS = "name_is"
    NAME_CONTAINS = "name_contains"
    TAG_IS = "tag_is"
    TAG_EXISTS = "tag_exists"
    TAG_VALUE_STARTS_WITH = "tag_value_starts_with"
    SOURCE_IS = "source_is"
    RESOURCE_TYPE_IS = "resource_type_is"
    REGION_IS = "region_is"


class RuleMove(str, Enum):
    PRIORITIZE = "prioritize"
    PROMOTE = "promote"
    DEMOTE = "demote"
    DEPRIORITIZE = "deprioritize"


_NEEDS_KEY = {ConditionType.TAG_IS, ConditionType.TAG_EXISTS, ConditionType.TAG_VALUE_STARTS_WITH}
_NO_VALUE = {ConditionType.TAG_EXISTS}


@dataclass(frozen=True)
class ResourceFacts:
    """What the conditions look at."""

    name: str
    cloud_resource_id: str
    resource_type: str = ""
    region: str = ""
    tags: Mapping[str, str] = field(default_factory=dict)
    data_source_id: int | None = None


class RuleLike(Protocol):
    priority: int
    active: bool
    conditions: list[dict]


R = TypeVar("R", bound=RuleLike)


def validate_conditions(conditions: object) -> list[dict]:
    """Clean conditions ({"type", "key"?, "value"?}); raises InvalidInput saying what to fix."""
    if not isinstance(conditions, (list, tuple)) or not conditions:
        raise InvalidInput("conditions_empty", field="conditions")
    return [_condition(position, raw) for position, raw in enumerate(conditions, start=1)]


def _condition(position: int, raw: object) -> dict:
    raw = raw if isinstance(raw, Mapping) else {}
    choices = ", ".join(t.value for t in ConditionType)
    try:
        kind = ConditionType(raw.get("type"))
    except ValueError:
        raise InvalidInput("unknown_condition_type", field="conditions", position=position, value=raw.get("type", ""),
                           choices=choices) from None
    cleaned: dict = {"type": kind.value}
    if kind in _NEEDS_KEY:
        cleaned["key"] = _text(position, kind, "key", raw.get("key"))
    if kind == ConditionType.SOURCE_IS:
        source = _present(position, kind, "value", raw.get("value"))
        cleaned["value"] = validate.whole_number("conditions.value", source, minimum=1, maximum=2**31 - 1,
                                                 position=position, type=kind.value)
    elif kind not in _NO_VALUE:
        cleaned["value"] = _text(position, kind, "value", raw.get("value"))
    return cleaned


def _present(position: int, kind: ConditionType, part: str, value: object) -> object:
    if value is None or not str(value).strip():
        raise InvalidInput("condition_part_missing", field=f"conditions.{part}", position=position, type=kind.value, part=part)
    return value


def _text(position: int, kind: ConditionType, part: str, value: object) -> str:
    text = str(_present(position, kind, part, value)).strip()
    if len(text) > MAX_VALUE_LENGTH:
        raise InvalidInput("value_too_long", field=f"conditions.{part}", position=position, type=kind.value,
                           max=MAX_VALUE_LENGTH)
    return text


def matches(conditions: Iterable[Mapping], facts: ResourceFacts) -> bool:
    """True when every condition holds for the resource (conditions already validated)."""
    return all(_holds(c, facts) for c in conditions)


def _holds(condition: Mapping, facts: ResourceFacts) -> bool:
    kind = ConditionType(condition["type"])
    if kind == ConditionType.SOURCE_IS:
        return facts.data_source_id == condition["value"]
    if kind in _NEEDS_KEY:
        return _tag_holds(kind, condition, facts.tags)
    value = str(condition["value"]).casefold()
    if kind == ConditionType.RESOURCE_TYPE_IS:
        return facts.resource_type.casefold() == value
    if kind == ConditionType.REGION_IS:
        return facts.region.casefold() == value
    names = (facts.name.casefold(), facts.cloud_resource_id.casefold())
    test = {
        ConditionType.NAME_STARTS_WITH: lambda n: n.startswith(value),
        ConditionType.NAME_ENDS_WITH: lambda n: n.endswith(value),
        ConditionType.NAME_IS: lambda n: n == value,
        ConditionType.NAME_CONTAINS: lambda n: value in n,
    }[kind]
    return any(test(n) for n in names)


def _tag_holds(kind: ConditionType, condition: Mapping, tags: Mapping[str, str]) -> bool:
    key = str(condition["key"]).casefold()
    values = [str(v).casefold() for k, v in tags.items() if str(k).casefold() == key]
    if kind == ConditionType.TAG_EXISTS:
        return bool(values)
    wanted = str(condition["value"]).casefold()
    if kind == ConditionType.TAG_IS:
        return wanted in values
    return any(v.startswith(wanted) for v in values)


def first_match(rules: Iterable[R], facts: ResourceFacts) -> R | None:
    """The active rule with the best priority (1 = top) whose conditions all hold, or None."""
    ordered = sorted((r for r in rules if r.active), key=lambda r: r.priority)
    return next((r for r in ordered if matches(r.conditions, facts)), None)


def reorder(ids: Sequence[int], rule_id: int, move: RuleMove) -> list[int]:
    """The rule ids (top first) after moving one; moving past either end changes nothing."""
    order = list(ids)
    index = order.index(rule_id)
    target = {
        RuleMove.PRIORITIZE: 0,
        RuleMove.PROMOTE: max(index - 1, 0),
        RuleMove.DEMOTE: min(index + 1, len(order) - 1),
        RuleMove.DEPRIORITIZE: len(order) - 1,
    }[move]
    order.insert(target, order.pop(index))
    return order
