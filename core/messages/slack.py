"""Messages for the Slack bot: linking people and workspaces, and the bot's own form checks."""

MESSAGES: dict[str, str] = {
    "slack_team_id_invalid": "\"{value}\" is not a Slack workspace id; it starts with T, such as T0123ABCD.",
    "slack_workspace_unbound": (
        "This Slack workspace ({team_id}) is not connected to a Cloudtuner organization yet. An organization "
        "manager connects it by installing the app from the web console (Slack page), or the operator runs "
        "`cloudtuner slack bind --team-id {team_id} --org NAME`."
    ),
    "slack_email_missing": (
        "Slack did not share your email with Cloudtuner, so I cannot tell who you are. "
        "Ask an organization manager for a link code and send me `link CODE`."
    ),
    "slack_email_unverified": (
        "Your Slack email {email} is not verified yet, so I cannot match it to a Cloudtuner member. "
        "Verify it in Slack, or ask an organization manager for a link code and send me `link CODE`."
    ),
    "slack_no_member": (
        "Nobody in {organization} has the email {email}. Ask an organization manager to invite {email}, "
        "or to give you a link code, then send me `link CODE`."
    ),
    "link_code_invalid": (
        "That link code is unknown, already used or expired. Ask an organization manager for a new one."
    ),
    "link_code_attempts_exceeded": (
        "Too many wrong link codes from you in the last hour. Check the code with the organization manager who "
        "gave it, and try again in {minutes} minutes."
    ),
    "link_code_no_member": "Nobody in this organization has the email {email}; invite them first, then make a code.",
    "slack_not_a_member_of": "You are not linked to a member of organization {organization_id}; send `org` to see yours.",
    "alerts_need_manager": "Only an organization manager or a pool manager can add alerts.",
    "slack_value_unexpected": (
        "This button or form carries a value Cloudtuner did not put there (\"{value}\"). Open the list again "
        "(send `help` to see how) and use its buttons."
    ),
    "slack_time_incomplete": "{field}: pick both a date and a time, or neither.",
    "slack_end_and_duration": "Give either an end or a duration, not both.",
    "slack_duration_invalid": "\"{value}\" is not a duration; pick one from the list.",
    "slack_scope_missing": (
        "Cloudtuner's Slack app lacks the {scope} scope, so Slack will not tell me who you are. A Slack admin "
        "must add {scope} to the app's bot scopes (see docs/slack-manifest.yaml) and reinstall the app. Until then, "
        "an organization manager can give you a link code: send me `link CODE`."
    ),
    "slack_token_refused": (
        "Slack refused Cloudtuner's bot token ({error}), so I cannot look you up. A Slack admin must reinstall "
        "the app, or the operator must set a valid SLACK_BOT_TOKEN."
    ),
    "slack_lookup_failed": (
        "Slack could not tell me who you are ({error}). Please try again; if it keeps happening, a Slack admin "
        "should check Cloudtuner's installation in the workspace."
    ),
    "slack_person_not_a_member": (
        "{person} is not a member of this organization (no member has their verified Slack email). Invite them "
        "first, or pick someone else."
    ),
    "slack_bind_token_refused": (
        "Slack refused SLACK_BOT_TOKEN ({error}), so I cannot tell which workspace it belongs to. Set a valid bot "
        "token (xoxb-...), or pass the workspace id with --team-id."
    ),
    "slack_api_unreachable": (
        "Could not reach the Slack Web API at {url} ({error}). Check the network or CLOUDTUNER_SLACK_API_URL, "
        "or pass the workspace id with --team-id."
    ),
}
