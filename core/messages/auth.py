"""Messages for the console: first run, sign-in, invites and members."""

MESSAGES: dict[str, str] = {
    "setup_closed": "This Cloudtuner is already set up. Sign in instead.",
    "password_too_short": "Choose a password of at least {min} characters.",
    "password_file_unreadable": "Cannot read the password file {path}: {error}.",
    "passwords_differ": "The two passwords differ; nothing was created.",
    "password_too_long": "Choose a password of at most {max} characters.",
    "sign_in_failed": "That email and password do not match. Check both and try again.",
    "sign_in_throttled": "Too many failed sign-ins. Try again in {minutes} minutes.",
    "sign_in_link_invalid": (
        "This sign-in link has expired or was already used. Send `console` to the Cloudtuner bot for a new one."
    ),
    "invite_invalid": "This invite link has expired or was already used. Ask an organization manager for a new one.",
    "invite_not_pending": "{member} has already set a password; they sign in with it.",
    "slack_sign_in_unverified": "Slack has not verified your email yet, so Cloudtuner cannot tell who you are.",
    "slack_sign_in_no_member": (
        "Nobody here has the email {email}. Ask an organization manager to invite you, then sign in again."
    ),
    "slack_sign_in_failed": "Slack did not complete the sign-in ({error}). Try again.",
    "cannot_remove_self": "You cannot remove yourself. Ask another organization manager.",
    "member_invited": (
        "You are now a member of {organization} in Cloudtuner, as {role}. Send me `org` to switch to it, "
        "and `console` for a link that signs you in to the web console."
    ),
    "booking_cancelled_member_removed": (
        "{member} left {organization}, so their upcoming booking of {environment} is cancelled."
    ),
}
