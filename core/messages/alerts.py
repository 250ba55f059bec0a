"""Messages for pool alerts: errors, and the notifications sent when an alert fires."""

MESSAGES: dict[str, str] = {
    "alert_not_found": "No alert {alert_id} in this organization.",
    "alert_needs_target": "An alert needs at least one target: a Slack channel or a member.",
    "invalid_slack_channel": (
        "\"{value}\" is not a Slack channel id. Use the id from the channel details, such as C0123ABCD "
        "(C or G, then capital letters and digits, 9 to 12 characters)."
    ),
    "threshold_not_positive": "The threshold of a cost or forecast alert must be more than 0.",
    "percentage_alert_needs_limit": (
        "Pool \"{pool}\" has no monthly limit, so a percentage alert on it could never fire. "
        "Set a limit on the pool or use an absolute threshold."
    ),
    "invalid_month": "Month must be written YYYY-MM, such as 2024-05; got \"{value}\".",
    "alert_has_no_threshold": "Alert {alert_id} is a {based_on} alert; only cost and forecast alerts have a threshold.",
    "alert_cost_reached": (
        "Pool \"{pool}\" has spent {value} {currency} this month ({percent_of_limit} of its monthly limit of "
        "{limit} {currency}), reaching the alert threshold of {threshold_amount} {currency}."
    ),
    "alert_cost_reached_no_limit": (
        "Pool \"{pool}\" has spent {value} {currency} this month (it has no monthly limit), reaching the "
        "alert threshold of {threshold_amount} {currency}."
    ),
    "alert_forecast_reached": (
        "Pool \"{pool}\" is forecast to spend {value} {currency} this month ({percent_of_limit} of its monthly "
        "limit of {limit} {currency}), reaching the alert threshold of {threshold_amount} {currency}. "
        "Forecast = {formula}."
    ),
    "alert_forecast_reached_no_limit": (
        "Pool \"{pool}\" is forecast to spend {value} {currency} this month (it has no monthly limit), "
        "reaching the alert threshold of {threshold_amount} {currency}. Forecast = {formula}."
    ),
}
