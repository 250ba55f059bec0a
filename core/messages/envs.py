"""Messages for shared environments, bookings and the waitlist."""

MESSAGES: dict[str, str] = {
    "env_resource_not_found": "No resource {resource_id} in this organization.",
    "resource_not_shareable": (
        "Only resources of type {choices} can be shared; \"{resource}\" is of type \"{resource_type}\". "
        "Create an environment by hand instead."),
    "resource_already_shared": "\"{resource}\" is already a shared environment.",
    "resource_not_shared": "Resource {resource_id} is not a shared environment.",
    "environment_not_found": "No shared environment {environment_id} in this organization.",
    "environment_exists": "A shared environment named \"{name}\" already exists; pick another name.",
    "environment_inactive": (
        "\"{environment}\" is deactivated, so it cannot be booked or waited for; "
        "ask a manager of its pool to activate it."),
    "environment_in_use": "\"{environment}\" is in use by {person} until {ends}; release that booking first.",
    "env_schedule_not_found": "No power schedule {power_schedule_id} in this organization.",
    "properties_not_a_mapping": "Properties must be pairs of a name and a value.",
    "too_many_properties": "An environment can have at most {max} properties.",
    "property_not_text": "Property \"{name}\" must have a text name and a text value.",
    "duplicate_property": "Property \"{name}\" is given twice; keep one.",
    "booking_time_without_zone": "{field} must be a date and time with a time zone.",
    "booking_ends_before_start": "The end ({ends}) must be after the start ({starts}).",
    "booking_open_ended_not_allowed": (
        "This environment can be booked for at most {max_minutes} minutes at a time; give an end time."),
    "booking_too_long": "This environment can be booked for at most {max_minutes} minutes at a time; pick an earlier end.",
    "booking_overlaps": "{person} has booked this environment from {starts} until {ends}; pick a time outside that booking.",
    "booking_for_others_needs_manager": (
        "Only a manager of pool \"{pool}\" can book \"{environment}\" for someone else; book it for yourself."),
    "booking_in_past": "Only a manager of pool \"{pool}\" can book in the past; start from now on.",
    "booking_not_found": "No booking {booking_id} in this organization.",
    "not_booking_holder_or_manager": (
        "Only the person holding this booking or a manager of pool \"{pool}\" can do this."),
    "booking_not_started": "This booking has not started yet (it starts {starts}); delete it instead of releasing it.",
    "booking_already_ended": "This booking already ended at {ends}.",
    "booking_started": (
        "This booking started at {starts}, so it can no longer be deleted by you; release it instead, "
        "or ask a manager of pool \"{pool}\"."),
    "booking_already_open_ended": "This booking has no end, so there is nothing to extend.",
    "extend_not_later": "The new end must be later than the current end ({ends}).",
    "already_on_waitlist": "You are already on the waitlist of \"{environment}\".",
    "not_on_waitlist": "You are not on the waitlist of \"{environment}\".",
    "waitlist_duration_required": (
        "\"{environment}\" can be booked for at most {max_minutes} minutes at a time; say how many minutes you need it."),
    "waitlist_duration_without_acquire": (
        "A booking length only applies when you ask to be given the environment; leave it out to be told when it is free."),
}
