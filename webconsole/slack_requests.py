"""What a request to Slack's endpoint must look like before Bolt sees it: signed by Slack now (else 401), then
a body Slack could have sent (else 400). Nothing a client sends reaches Bolt in a shape that makes it fail."""

from __future__ import annotations

from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier



class Each:
    """A JSON object whose every value has one shape (view.state.values: block id -> action id -> state)."""

    def __init__(self, shape: object) -> None:
        self.shape = shape


OPTION = {"value": str}
ELEMENT_STATE = {"type": str, "value": str, "selected_option": OPTION, "selected_options": [OPTION],
                 "selected_date": str, "selected_time": str, "selected_user": str, "selected_channel": str,
                 "selected_conversation": str}
# The parts of Slack's payloads the bot reads, with the JSON type Slack always sends; a part may be absent or null.
SHAPE = {
    "type": str, "trigger_id": str, "response_url": str, "api_app_id": str, "token": str, "event_id": str,
    "team": {"id": str, "domain": str}, "user": {"id": str, "team_id": str, "name": str},
    "channel": {"id": str}, "container": {"type": str, "view_id": str, "channel_id": str, "message_ts": str},
    "message": {"ts": str, "blocks": [dict]}, "enterprise": {"id": str}, "authorizations": [{"team_id": str}],
    "actions": [{"type": str, "action_id": str, "block_id": str, "value": str, "selected_option": OPTION}],
    "action_id": str, "block_id": str, "value": str,
    "view": {"id": str, "type": str, "callback_id": str, "private_metadata": str, "hash": str, "blocks": [dict],
             "state": {"values": Each(Each(ELEMENT_STATE))}},
    "event": {"type": str, "channel": (str, dict), "channel_type": str, "user": (str, dict), "text": str, "ts": str,
              "tab": str, "bot_id": str, "subtype": str},
}
NEEDS = {"block_actions": "actions", "view_submission": "view", "view_closed": "view", "event_callback": "event"}


def signed(verifier: SignatureVerifier | None, raw: bytes, headers) -> str | None:
    """The body as text when Slack signed it within the last five minutes, else None."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if verifier is None or not timestamp.isascii() or not timestamp.isdigit() or not signature:
        return None
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return body if verifier.is_valid(body, timestamp, signature) else None


def problem(body: str, content_type: str | None) -> str | None:
    """Why a signed body is not one Slack sends (a short reason for the log), or None when it is."""
    try:
        parsed = parse_body(body, content_type)
    except ValueError:
        return "the body or its payload is not JSON"
    if not isinstance(parsed, dict):
        return "the payload is not a JSON object"
    if "command" in parsed or "ssl_check" in parsed:
        return None
    kind = parsed.get("type")
    if not isinstance(kind, str) or not kind:
        return "the payload has no type"
    needed = NEEDS.get(kind)
    if needed and not parsed.get(needed):
        return f"{kind} without {needed}"
    misfit = _misfit(parsed, SHAPE, "payload")
    if misfit is None and kind == "event_callback" and not parsed["event"].get("type"):
        return "the event has no type"
    return misfit


def _misfit(value: object, shape: object, where: str) -> str | None:
    """Where a value differs from its shape (None and absent parts fit), or None."""
    if value is None:
        return None
    if isinstance(shape, (type, tuple)):
        return None if isinstance(value, shape) else f"{where} is not {_named(shape)}"
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"{where} is not a list"
        return next((found for item in value if (found := _misfit(item, shape[0], f"{where}[]"))), None)
    if not isinstance(value, dict):
        return f"{where} is not an object"
    parts = ((key, shape.shape) for key in value) if isinstance(shape, Each) else shape.items()
    return next((found for key, part in parts if (found := _misfit(value.get(key), part, f"{where}.{key}"))), None)


def _named(shape: type | tuple) -> str:
    kinds = shape if isinstance(shape, tuple) else (shape,)
    return " or ".join({str: "a string", dict: "an object", list: "a list"}[kind] for kind in kinds)
