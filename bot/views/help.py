"""What the bot understands, for `help` and for anything it does not."""

from __future__ import annotations

from bot.links import Console
from bot.views.common import Message, console_footer, context, escape, section

COMMANDS = (
    ("resources [pool]", "your resources (or a pool's), most expensive first, with cost this month, TTL and limits"),
    ("envs [filter]", "shared environments: who has them, until when; book one"),
    ("org", "your organizations; choose the active one"),
    ("alerts", "pool alerts; managers add and delete them"),
    ("schedules", "power schedules that start and stop resources"),
    ("link CODE", "link your Slack account with a code from an organization manager"),
    ("code EMAIL", "organization managers: a one-time link code for the member with that email"),
    ("console", "a one-time link that signs you in to the web console, no password needed"),
    ("help", "this list"),
)


def help_message(*, console: Console, unknown: str = "") -> Message:
    lines = "\n".join(f"• `{name}` — {about}" for name, about in COMMANDS)
    blocks = []
    if unknown:
        blocks.append(section(f"I don't know “{escape(unknown)}”. Here is what I can do:"))
    blocks += [section(f"Send me one of these as a direct message, or type `/cloudtuner <command>`:\n{lines}"),
               context("The App Home tab shows your resources, bookings and pools needing attention."),
               console_footer(console.home())]
    return Message("Cloudtuner commands: " + ", ".join(name for name, _ in COMMANDS), blocks)


def link_code_message(code: str, email: str) -> Message:
    text = (f"Link code for {escape(email)}: *{code}* (valid 24 hours, once). They send me `link {code}` "
            "from the Slack account to link.")
    return Message(f"Link code for {email}: {code}", [section(text)])


def sign_in_link_message(url: str, minutes: int) -> Message:
    text = f"<{url}|Open the Cloudtuner console>: this link signs you in once, within {minutes} minutes. Keep it to yourself."
    return Message(f"Your one-time console sign-in link (valid {minutes} minutes): {url}", [section(text)])
