"""What a request to Slack's endpoint must look like before Bolt sees it: signed by Slack now (else 401), then
a body Slack could have sent (else 400). Nothing a client sends reaches Bolt in a shape that makes it fail."""

from __future__ import annotations

from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

OBJECTS = ("team", "user", "channel", "container", "message", "enterprise", "view", "event", "state")
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
    wrong = next((key for key in OBJECTS if parsed.get(key) is not None and not isinstance(parsed[key], dict)), None)
    if wrong:
        return f"{wrong} is not an object"
    needed = NEEDS.get(kind)
    if needed == "actions":
        actions = parsed.get("actions")
        if not isinstance(actions, list) or not actions or not all(isinstance(a, dict) for a in actions):
            return "block_actions without actions"
    elif needed and not isinstance(parsed.get(needed), dict):
        return f"{kind} without {needed}"
    return None
