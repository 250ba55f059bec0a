"""Errors about an input name it by the service argument's key, and every key has a label in the catalog."""

import ast
import re
from pathlib import Path

import pytest

import core
from bot.errors import INPUT_OF
from core.errors import InvalidInput
from core.messages import render
from core.messages.fields import LABELS, label

CORE = Path(core.__file__).parent
ERRORS = {"InvalidInput", "Conflict", "NotFound", "PermissionDenied"}
HELPERS = {"text", "whole_number", "amount", "choice", "timezone_name", "aware"}  # validate.*, rules.aware
BARE_HELPERS = {"parse_date", "_email"}
CHECKED = ("services", "rules", "validate.py")  # where every InvalidInput is about an input
NOT_ABOUT_AN_INPUT = {"slack_email_missing", "slack_email_unverified", "alert_has_no_threshold", "slack_sign_in_unverified",
                      "import_sample_data"}


def _name(call: ast.Call) -> str:
    return getattr(call.func, "id", "") or getattr(call.func, "attr", "")


def _is_helper(func: ast.expr) -> bool:
    """validate.text(...), rules.aware(...) or a bare parse_date(...), not secrets.choice(...) or text(...)."""
    if isinstance(func, ast.Name):
        return func.id in BARE_HELPERS
    owner = getattr(getattr(func, "value", None), "id", "")
    return getattr(func, "attr", "") in HELPERS and owner in ("validate", "rules")


def _form_keys() -> set[str]:
    """The config fields the cloud adapters declare (ConfigField("name", "Label", ...)): their labels live there."""
    calls = (node for path in (CORE / "adapters").rglob("*.py") for node in ast.walk(ast.parse(path.read_text())))
    return {node.args[0].value for node in calls if isinstance(node, ast.Call) and _name(node) == "ConfigField"
            and node.args and isinstance(node.args[0], ast.Constant)}


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _named_fields() -> list[tuple[str, ast.Call, ast.expr]]:
    """(where, call, the field it names) for every error raised with field= and every helper given a field."""
    found = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.relative_to(CORE)}:{node.lineno}"
            if _name(node) in ERRORS and _keyword(node, "field") is not None:
                found.append((where, node, _keyword(node, "field")))
            elif node.args and _is_helper(node.func):
                found.append((where, node, node.args[0]))
    return found


FORM_KEYS = _form_keys()


def _is_known(call: ast.Call, field: ast.expr) -> bool:
    if _keyword(call, "label") is not None:  # an input a cloud adapter declares brings its own label
        return True
    if isinstance(field, ast.Constant):
        return field.value in LABELS or field.value in FORM_KEYS
    if isinstance(field, ast.JoinedStr):  # f"conditions.{part}": some catalog key has that shape
        shape = "".join(re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_]+" for v in field.values)
        return any(re.fullmatch(shape, key) for key in LABELS)
    return isinstance(field, ast.Name) and field.id == "field"  # a helper handing its own `field` on


def test_core_names_fields_at_all():
    assert len(_named_fields()) > 40


@pytest.mark.parametrize("where, call, field", _named_fields(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_named_field_is_an_argument_key_with_a_label(where, call, field):
    assert _is_known(call, field), f"{where}: {ast.unparse(field)} is not a key of core/messages/fields.py"


def test_every_invalid_input_in_services_and_rules_names_its_field():
    missing = []
    for part in CHECKED:
        for path in [CORE / part] if part.endswith(".py") else (CORE / part).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (isinstance(node, ast.Call) and _name(node) == "InvalidInput"
                        and _keyword(node, "field") is None and node.args[0].value not in NOT_ABOUT_AN_INPUT):
                    missing.append(f"{path.relative_to(CORE)}:{node.lineno} {node.args[0].value}")
    assert not missing


def test_labels_are_sentences_and_keys_are_argument_names():
    for key, text in LABELS.items():
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)?", key) and text[0].isupper(), key


def test_a_message_reads_the_label_while_the_error_keeps_the_key():
    error = InvalidInput("blank_value", field="monthly_limit")
    assert error.params["field"] == "monthly_limit" and str(error) == "Monthly limit must not be empty."
    assert render("value_too_long", field="items.name", position=3, max=5) == "Item 3 name is too long: at most 5 characters."
    assert render("datasource_field_missing", field="access_key_id", label="Access key ID") == "Access key ID is required."
    assert label("not_in_catalog", {}) == "Not in catalog"


def test_every_slack_input_an_error_can_land_on_is_a_catalog_key():
    assert set(INPUT_OF) <= set(LABELS)
