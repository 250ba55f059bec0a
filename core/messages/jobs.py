"""Messages the scheduler sends on its own (proactive notifications of events) and records on resources."""

MESSAGES: dict[str, str] = {
    "job_unknown": "There is no job named \"{name}\". Jobs: {names}.",
    "job_busy": "Job \"{name}\" is running in another Cloudtuner process right now; try again when it has finished.",
    "job_needs_slack": "Slack is not configured, so notifications cannot be delivered; they wait in the outbox.",
    "job_needs_adapters": "The cloud adapters are not configured in this process, so power schedules cannot act.",
    "notice_ttl_passed": (
        "\"{resource}\" passed its TTL at {limit} and is still active. Delete it, or set a later TTL if you "
        "still need it."
    ),
    "notice_daily_limit": (
        "\"{resource}\" cost {actual} {currency} on {day} (UTC), above its daily expense limit of "
        "{limit} {currency}."
    ),
    "notice_total_limit": (
        "\"{resource}\" has cost {actual} {currency} in total, above its total expense limit of {limit} {currency}."
    ),
    "notice_ttl_expiring": (
        "\"{resource}\" reaches its TTL at {ttl}, within the next 24 hours. Extend it if you still need it."
    ),
    "notice_env_acquired": "{person} has booked \"{environment}\" from {starts} until {ends}.",
    "notice_env_released": "\"{environment}\" is free again: the booking of {person} ended at {ends}.",
    "notice_booking_created": "{person} booked \"{environment}\" from {starts} until {ends}.",
    "notice_booking_extended": "The booking of {person} on \"{environment}\" now ends at {ends} (it ended at {previous}).",
    "notice_booking_deleted": "The booking of {person} on \"{environment}\" from {starts} until {ends} was deleted.",
    "notice_environment_changed": "Environment \"{environment}\" was edited.",
    "notice_environment_activated": "Environment \"{environment}\" was activated: it can be booked again.",
    "notice_environment_deactivated": "Environment \"{environment}\" was deactivated: it cannot be booked for now.",
    "notice_alert_added": "A {based_on} alert was added to pool \"{pool}\".",
    "notice_alert_removed": "A {based_on} alert was removed from pool \"{pool}\".",
    "notice_waitlist_free": "\"{environment}\" is free now. Book it before someone else does.",
    "notice_waitlist_acquired": "\"{environment}\" is yours from the waitlist, from {starts} until {ends}.",
    "notice_power_warning": (
        "Power schedule \"{schedule}\" stops \"{resource}\" at {stop_local} ({timezone}), {stop}. "
        "Snooze or skip tonight's stop to keep it running."
    ),
    "notice_power_failed": "Power schedule \"{schedule}\" could not {action} \"{resource}\": {detail}.",
    "import_failed_unexpectedly": "The import stopped on an unexpected error (ref {ref}); the previous figures are kept. The log has the details under that reference.",
    "notice_import_failed": (
        "The import of data source \"{data_source}\" failed: {detail}. Check its credentials in the web console."
    ),
    "notice_rerouted": (
        "This message was meant for channel {channel}, which cannot take it ({reason}); it comes to you as an "
        "organization manager."
    ),
    "event_power_ok": "{action_done} by power schedule \"{schedule}\" (transition at {at}).",
    "event_power_already": "Already {state} when power schedule \"{schedule}\" wanted to {action} it (at {at}).",
    "event_power_gone": "Power schedule \"{schedule}\" could not {action} it: it no longer exists in the cloud.",
    "event_power_failed": "Power schedule \"{schedule}\" failed to {action} it (at {at}): {detail}.",
    "event_power_skipped": (
        "Power schedule \"{schedule}\" did not stop it at {at}: environment \"{environment}\" is booked by {person} "
        "until {until}."
    ),
    "power_no_data_source": "The resource has no data source, so there is no cloud account to act in.",
    "power_interrupted": (
        "The process acting on it stopped twice before the cloud answered; check the resource's state in the cloud."
    ),
    "event_env_power_ok": "{action_done} for environment \"{environment}\": the booking of {person} {event} at {at}.",
    "event_env_power_already": (
        "Already {state} when the booking of {person} on environment \"{environment}\" {event} at {at}."
    ),
    "event_env_power_gone": (
        "Could not {action} it for environment \"{environment}\": it no longer exists in the cloud."
    ),
    "event_env_power_failed": (
        "Failed to {action} it for environment \"{environment}\" when the booking of {person} {event} at {at}: "
        "{detail}."
    ),
    "notice_env_power_failed": (
        "Cloudtuner could not {action} \"{resource}\" of environment \"{environment}\" when your booking {event} "
        "at {at}: {detail}. Check it in the cloud console or ask a manager."
    ),
}
