"""Action, block and callback ids: the contract between the views and the listeners."""

import re
from datetime import timedelta

COMMAND = "/cloudtuner"

# Buttons. Ids that appear several times in one actions block carry a suffix; listeners match a prefix.
RUN_COMMAND = re.compile(r"^run_command(:.+)?$")
RESOURCE_DETAILS = "resource_details"
RESOURCE_PAGE = "resource_page"
TTL_PRESET = re.compile(r"^ttl_preset:(3h|1d|3d)$")
TTL_PRESET_DELTAS = {"3h": timedelta(hours=3), "1d": timedelta(days=1), "3d": timedelta(days=3)}
TTL_CUSTOM = "ttl_custom"
TTL_RESET = "ttl_reset"
DAILY_LIMIT = "daily_limit"
ENV_DETAILS = "env_details"
ENV_PAGE = "env_page"
ENV_BOOK = "env_book"
BOOKING_RELEASE = "booking_release"
BOOKING_EXTEND = re.compile(r"^booking_extend:(1h|1d)$")
EXTEND_DELTAS = {"1h": timedelta(hours=1), "1d": timedelta(days=1)}
BOOKING_EXTEND_TO = "booking_extend_to"
BOOKING_DELETE = "booking_delete"
WAITLIST_JOIN = "waitlist_join"
WAITLIST_ACQUIRE = "waitlist_acquire"
ALERT_ADD = "alert_add"
ALERT_DELETE = "alert_delete"
ORG_CHOOSE = "org_choose"
SNOOZE = re.compile(r"^power_snooze:(1h|2h)$")
SNOOZE_HOURS = {"1h": 1, "2h": 2}
SKIP_TONIGHT = "power_skip_tonight"

# Modals (callback ids) and their inputs (block id == action id).
BOOK_VIEW = "book_env"
EXTEND_VIEW = "extend_booking"
WAITLIST_VIEW = "waitlist_acquire"
TTL_VIEW = "ttl_custom"
LIMIT_VIEW = "daily_limit"
ALERT_VIEW = "alert_add"
START_DATE, START_TIME, END_DATE, END_TIME, DURATION, NOTE, FOR_USER = (
    "start_date", "start_time", "end_date", "end_time", "duration", "note", "for_user")
TTL_DATE, TTL_TIME = "ttl_date", "ttl_time"
LIMIT = "limit"
POOL, BASED_ON, THRESHOLD, THRESHOLD_TYPE, OPTIONS, CHANNEL = (
    "pool", "based_on", "threshold", "threshold_type", "options", "channel")


def ttl_preset(code: str) -> str:
    return f"ttl_preset:{code}"


def booking_extend(code: str) -> str:
    return f"booking_extend:{code}"


def run_command(name: str) -> str:
    return f"run_command:{name}"


def snooze(code: str) -> str:
    return f"power_snooze:{code}"


def notification_block(event_type: str) -> str:
    """The actions block of a proactive message about an event of `event_type`."""
    return f"notify:{event_type}"
