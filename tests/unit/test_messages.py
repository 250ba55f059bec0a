"""Every error code raised in core/ has a message in the catalog, and every message renders."""

import ast
import string
from pathlib import Path

import pytest

import core
from core.messages import CATALOG, render

ERROR_CLASSES = {"CoreError", "InvalidInput", "NotFound", "PermissionDenied", "Conflict"}
CORE = Path(core.__file__).parent


def _raised_codes() -> dict[str, set[str]]:
    """code -> keyword params passed wherever core constructs an error with a literal code."""
    found: dict[str, set[str]] = {}
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERROR_CLASSES
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, set()).update(k.arg for k in node.keywords if k.arg)
    return found


def test_core_raises_errors_at_all():
    assert len(_raised_codes()) > 10


@pytest.mark.parametrize("code, params", sorted(_raised_codes().items()))
def test_every_raised_code_has_a_message_with_its_params(code, params):
    assert code in CATALOG, f"add a message for {code!r} to core/messages/"
    fields = {name for _, name, _, _ in string.Formatter().parse(CATALOG[code]) if name}
    missing = fields - params
    assert not missing, f"{code}: message uses {missing} but the raise passes only {params}"


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_message_is_a_sentence(code):
    text = CATALOG[code]
    assert text[0].isupper() or text[0] in "\"{", code
    assert text.rstrip().endswith((".", "?", ")")), code


def test_render_fills_params_and_survives_missing_ones():
    assert render("invalid_email", value="x") == "\"x\" is not an email address."
    assert render("invalid_email") == CATALOG["invalid_email"]
    assert render("no_such_code") == "no such code"
