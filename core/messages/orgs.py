"""Messages for organizations and members."""

MESSAGES: dict[str, str] = {
    "invalid_email": "\"{value}\" is not an email address.",
    "invalid_currency": "Currency must be a three-letter ISO code such as USD or EUR, got \"{value}\".",
    "organization_exists": "An organization named \"{name}\" already exists; pick another name.",
    "organization_not_found": "No organization named \"{name}\".",
    "member_exists": "{email} is already a member of this organization.",
    "last_org_manager": "This is the last organization manager; make someone else a manager first.",
    "already_org_manager": "{member} is an organization manager and already manages every pool.",
}
