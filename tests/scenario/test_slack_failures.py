"""When Slack will not say who someone is (users.info refused, a scope missing), the person is told what the
Slack admin must fix, never a generic reference; nothing gets linked meanwhile."""

from bot import ids
from core.models import SlackUser, SlackUserLink
from core.services import slack_links
from tests.scenario.slack_fake import BOX, texts
from tests.scenario.slack_world import OWNER, make_world

MISSING_READ = ("Cloudtuner's Slack app lacks the users:read scope, so Slack will not tell me who you are. A Slack "
                "admin must add users:read to the app's bot scopes (see docs/slack-manifest.yaml) and reinstall the "
                "app. Until then, an organization manager can give you a link code: send me `link CODE`.")


async def _slash(slack, user: str, text: str) -> dict:
    status, body, url = await slack.command(user, text)
    assert status == 200 and body == ""
    return (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args


async def test_a_missing_users_read_scope_names_the_scope_to_add(slack):
    await make_world(slack.fake)
    slack.fake.failures["users.info"] = {"error": "missing_scope", "needed": "users:read",
                                         "provided": "commands,chat:write"}
    answer = await _slash(slack, OWNER, "resources")
    assert answer["text"] == MISSING_READ and answer["response_type"] == "ephemeral"
    assert not await SlackUser.exists(slack_user_id=OWNER)


async def test_a_token_without_the_email_scope_is_not_mistaken_for_a_person_without_email(slack):
    world = await make_world(slack.fake)
    slack.fake.scopes = [s for s in slack.fake.scopes if s != "users:read.email"]
    before = len(slack.fake.calls)
    await slack.dm(OWNER, "envs")
    note = (await slack.fake.wait_for("chat.postEphemeral", after=before)).args
    assert note["text"].startswith("Cloudtuner's Slack app lacks the users:read.email scope")
    assert "A Slack admin must add users:read.email to the app's bot scopes" in note["text"]
    await slack.home_opened(OWNER)
    home = (await slack.fake.wait_for("views.publish")).args
    assert "lacks the users:read.email scope" in texts(home["view"])
    code = await slack_links.issue_link_code(box=BOX, actor_id=world.boss.id, member_id=world.owner.id)
    linked = await _slash(slack, OWNER, f"link {code}")  # the way around it until the admin fixes the app
    assert "Linked: you are owner in Acme." in texts(linked)
    assert "staging" in texts(await _slash(slack, OWNER, "envs"))


async def test_a_refused_token_or_another_slack_error_is_said_plainly(slack):
    await make_world(slack.fake)
    slack.fake.failures["users.info"] = {"error": "token_revoked"}
    answer = await _slash(slack, OWNER, "envs")
    assert answer["text"] == ("Slack refused Cloudtuner's bot token (token_revoked), so I cannot look you up. A Slack "
                              "admin must reinstall the app, or the operator must set a valid SLACK_BOT_TOKEN.")
    slack.fake.failures["users.info"] = {"error": "fatal_error"}
    answer = await _slash(slack, OWNER, "envs")
    assert answer["text"].startswith("Slack could not tell me who you are (fatal_error). Please try again;")
    assert not await SlackUserLink.exists()


async def test_a_linked_person_whose_time_zone_slack_will_not_give_is_told_why(slack):
    world = await make_world(slack.fake)
    await _slash(slack, OWNER, "envs")  # linked by email while Slack still answers
    slack.fake.failures["users.info"] = {"error": "missing_scope", "needed": "users:read"}
    before = len(slack.fake.calls)
    _, _, url = await slack.click(OWNER, ids.ENV_BOOK, world.staging.id)
    answer = (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path), after=before)).args
    assert answer["text"] == MISSING_READ and not slack.fake.to("views.open")
