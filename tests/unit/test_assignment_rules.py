from dataclasses import dataclass

import pytest

from core.errors import InvalidInput
from core.rules.assignment import (
    ConditionType,
    ResourceFacts,
    RuleMove,
    first_match,
    matches,
    reorder,
    validate_conditions,
)

VM = ResourceFacts(name="web-Prod-01", cloud_resource_id="i-0abc123", resource_type="Instance",
                   region="eu-west-1", tags={"Env": "Production", "team": "data"}, data_source_id=7)


@dataclass
class Rule:
    name: str
    priority: int
    conditions: list
    active: bool = True


def cond(kind, value=None, key=None):
    c = {"type": kind}
    if value is not None:
        c["value"] = value
    if key is not None:
        c["key"] = key
    return c


CASES = [
    (cond("name_starts_with", "web-"), True),
    (cond("name_starts_with", "WEB-prod"), True),
    (cond("name_starts_with", "i-0ab"), True),
    (cond("name_starts_with", "prod"), False),
    (cond("name_ends_with", "-01"), True),
    (cond("name_ends_with", "C123"), True),
    (cond("name_ends_with", "-02"), False),
    (cond("name_is", "web-prod-01"), True),
    (cond("name_is", "I-0ABC123"), True),
    (cond("name_is", "web-prod"), False),
    (cond("name_contains", "prod"), True),
    (cond("name_contains", "0abc"), True),
    (cond("name_contains", "stage"), False),
    (cond("tag_is", "production", key="env"), True),
    (cond("tag_is", "Prod", key="Env"), False),
    (cond("tag_is", "data", key="Env"), False),
    (cond("tag_exists", key="TEAM"), True),
    (cond("tag_exists", key="owner"), False),
    (cond("tag_value_starts_with", "prod", key="Env"), True),
    (cond("tag_value_starts_with", "duction", key="Env"), False),
    (cond("tag_value_starts_with", "da", key="owner"), False),
    (cond("source_is", 7), True),
    (cond("source_is", 8), False),
    (cond("resource_type_is", "instance"), True),
    (cond("resource_type_is", "Inst"), False),
    (cond("region_is", "EU-WEST-1"), True),
    (cond("region_is", "eu-west"), False),
]


@pytest.mark.parametrize("condition, expected", CASES)
def test_each_condition_type(condition, expected):
    assert matches(validate_conditions([condition]), VM) is expected


def test_every_condition_type_has_a_matching_and_a_failing_case():
    for kind in ConditionType:
        outcomes = {expected for condition, expected in CASES if condition["type"] == kind.value}
        assert outcomes == {True, False}, kind


def test_name_conditions_also_see_the_id_when_the_name_is_empty():
    nameless = ResourceFacts(name="", cloud_resource_id="vol-123")
    assert matches([cond("name_starts_with", "vol-")], nameless)
    assert not matches([cond("name_ends_with", "x")], nameless)


def test_source_is_does_not_match_a_resource_without_data_source():
    assert not matches([cond("source_is", 7)], ResourceFacts(name="a", cloud_resource_id="b"))


def test_all_conditions_must_match():
    both = [cond("name_starts_with", "web"), cond("region_is", "eu-west-1")]
    one_wrong = [cond("name_starts_with", "web"), cond("region_is", "us-east-1")]
    assert matches(both, VM)
    assert not matches(one_wrong, VM)


def test_first_match_follows_priority_not_list_order():
    low = Rule("low", 2, [cond("name_contains", "web")])
    top = Rule("top", 1, [cond("tag_exists", key="env")])
    assert first_match([low, top], VM) is top


def test_first_match_skips_inactive_and_unmatched_rules():
    off = Rule("off", 1, [cond("name_contains", "web")], active=False)
    miss = Rule("miss", 2, [cond("region_is", "us-east-1")])
    hit = Rule("hit", 3, [cond("resource_type_is", "instance")])
    assert first_match([off, miss, hit], VM) is hit
    assert first_match([off, miss], VM) is None
    assert first_match([], VM) is None


def test_validate_cleans_and_keeps_only_the_needed_parts():
    cleaned = validate_conditions([
        {"type": "name_is", "value": "  web  ", "key": "ignored"},
        {"type": "tag_exists", "key": " env ", "value": "ignored"},
        {"type": "tag_is", "key": "env", "value": "prod"},
        {"type": "source_is", "value": "12"},
    ])
    assert cleaned == [
        {"type": "name_is", "value": "web"},
        {"type": "tag_exists", "key": "env"},
        {"type": "tag_is", "key": "env", "value": "prod"},
        {"type": "source_is", "value": 12},
    ]


@pytest.mark.parametrize("conditions", [[], None, (), "name_is"])
def test_validate_refuses_no_conditions(conditions):
    with pytest.raises(InvalidInput) as err:
        validate_conditions(conditions)
    assert err.value.code == "conditions_empty"


@pytest.mark.parametrize("raw", [{"type": "name_like", "value": "x"}, {"value": "x"}, "name_is"])
def test_validate_refuses_unknown_types_and_lists_the_valid_ones(raw):
    with pytest.raises(InvalidInput) as err:
        validate_conditions([cond("name_is", "ok"), raw])
    assert err.value.code == "unknown_condition_type"
    assert err.value.params["position"] == 2
    assert "tag_value_starts_with" in err.value.params["choices"] and "region_is" in err.value.params["choices"]


@pytest.mark.parametrize("raw, part", [
    ({"type": "name_contains"}, "value"),
    ({"type": "region_is", "value": "   "}, "value"),
    ({"type": "tag_is", "value": "prod"}, "key"),
    ({"type": "tag_is", "key": "env"}, "value"),
    ({"type": "tag_exists", "key": ""}, "key"),
    ({"type": "tag_value_starts_with", "key": "env", "value": None}, "value"),
    ({"type": "source_is"}, "value"),
])
def test_validate_says_which_part_is_missing(raw, part):
    with pytest.raises(InvalidInput) as err:
        validate_conditions([raw])
    assert err.value.code == "condition_part_missing"
    assert err.value.params == {"field": f"conditions.{part}", "position": 1, "type": raw["type"], "part": part}


def test_validate_refuses_a_source_that_is_not_an_id_and_overlong_values():
    with pytest.raises(InvalidInput) as err:
        validate_conditions([cond("source_is", "aws")])
    assert err.value.code == "not_a_whole_number"
    with pytest.raises(InvalidInput) as err:
        validate_conditions([cond("name_is", "x" * 256)])
    assert err.value.code == "value_too_long"


@pytest.mark.parametrize("move, rule_id, expected", [
    (RuleMove.PRIORITIZE, 3, [3, 1, 2, 4]),
    (RuleMove.PRIORITIZE, 1, [1, 2, 3, 4]),
    (RuleMove.PROMOTE, 3, [1, 3, 2, 4]),
    (RuleMove.PROMOTE, 1, [1, 2, 3, 4]),
    (RuleMove.DEMOTE, 2, [1, 3, 2, 4]),
    (RuleMove.DEMOTE, 4, [1, 2, 3, 4]),
    (RuleMove.DEPRIORITIZE, 2, [1, 3, 4, 2]),
    (RuleMove.DEPRIORITIZE, 4, [1, 2, 3, 4]),
])
def test_reorder(move, rule_id, expected):
    assert reorder([1, 2, 3, 4], rule_id, move) == expected


def test_reorder_a_single_rule_changes_nothing():
    assert all(reorder([9], 9, move) == [9] for move in RuleMove)
