"""Messages for power schedules."""

MESSAGES: dict[str, str] = {
    "schedule_not_found": "No power schedule {schedule_id} in this organization.",
    "schedule_exists": "A power schedule named \"{name}\" already exists in this organization; pick another name.",
    "not_schedule_manager": "Only an organization manager or a pool manager can create or change power schedules.",
    "schedule_drives_other_pools": (
        "Power schedule \"{schedule}\" also drives \"{item}\", which is outside the pools you manage; "
        "ask an organization manager to change it."
    ),
    "schedule_needs_period": (
        "A power schedule needs at least one period: weekdays, a start time and a stop time, "
        "such as Monday to Friday 08:00 to 19:00."
    ),
    "period_invalid": "Period {period} must give weekdays, a start time and a stop time.",
    "period_needs_weekday": "Period {period} needs at least one weekday.",
    "period_weekday_invalid": "Period {period}: weekday \"{value}\" is not valid; use 0 (Monday) to 6 (Sunday).",
    "period_time_invalid": "Period {period}: the {which} time must be written HH:MM, such as 08:30; got \"{value}\".",
    "period_start_equals_stop": (
        "Period {period} starts and stops at {time}. Use different times; a stop earlier than the start "
        "runs overnight into the next day."
    ),
    "periods_overlap": "Periods {first} and {second} overlap. Make them follow each other or merge them into one.",
    "schedule_date_invalid": "{field} must be a date written YYYY-MM-DD, such as 2026-12-24; got \"{value}\".",
    "schedule_end_before_start": "The end date {end} is before the start date {start}.",
    "schedule_no_resources_given": "Choose at least one resource.",
    "schedule_resource_not_found": "No resource {resource_id} in this organization.",
    "resource_not_on_schedule": "\"{resource}\" is not on power schedule \"{schedule}\".",
    "resource_has_no_schedule": "\"{resource}\" has no power schedule, so there is no stop to postpone.",
    "override_until_needs_timezone": "The time {until} has no time zone; give it in UTC or with an offset.",
    "override_until_past": "The time {until} is not in the future; pick a later time.",
    "no_stop_to_skip": "Power schedule \"{schedule}\" has no stop coming up, so there is nothing to skip.",
}
