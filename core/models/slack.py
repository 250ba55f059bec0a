"""Slack: workspace installations, OAuth state, the workspace's organization, people and their links."""

from tortoise import fields
from tortoise.models import Model


class SlackInstallation(Model):
    """One app installation per workspace (OAuth mode), the bot token is sealed with core.crypto."""

    id = fields.IntField(primary_key=True)
    enterprise_id = fields.CharField(max_length=32, default="")
    team_id = fields.CharField(max_length=32, default="")
    team_name = fields.CharField(max_length=255, default="")
    app_id = fields.CharField(max_length=32, default="")
    bot_token = fields.TextField()
    bot_id = fields.CharField(max_length=32, default="")
    bot_user_id = fields.CharField(max_length=32, default="")
    bot_scopes = fields.TextField(default="")
    installer_user_id = fields.CharField(max_length=32, default="")
    is_enterprise_install = fields.BooleanField(default=False)
    installed_at = fields.DatetimeField()

    class Meta:
        table = "slack_installation"
        unique_together = (("enterprise_id", "team_id"),)


class SlackOAuthState(Model):
    """An OAuth `state` value: valid once, until it expires, and may carry the organization asked for."""

    id = fields.IntField(primary_key=True)
    state = fields.CharField(max_length=64, unique=True)
    organization_id = fields.IntField(null=True)
    expires_at = fields.DatetimeField()
    consumed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "slack_oauth_state"


class SlackWorkspace(Model):
    """A Slack workspace bound to the one organization it works for."""

    id = fields.IntField(primary_key=True)
    team_id = fields.CharField(max_length=32, unique=True)
    team_name = fields.CharField(max_length=255, default="")
    organization = fields.ForeignKeyField("models.Organization", related_name="slack_workspaces", on_delete=fields.CASCADE)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "slack_workspace"


class SlackUser(Model):
    """A person in a Slack workspace: their time zone and the member they act as right now."""

    id = fields.IntField(primary_key=True)
    team_id = fields.CharField(max_length=32)
    slack_user_id = fields.CharField(max_length=32)
    timezone = fields.CharField(max_length=64, default="UTC")
    active_member = fields.ForeignKeyField("models.Member", related_name="slack_active_for", null=True,
                                           on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "slack_user"
        unique_together = (("team_id", "slack_user_id"),)


class SlackUserLink(Model):
    """A Slack person is one member per organization they belong to."""

    id = fields.IntField(primary_key=True)
    slack_user = fields.ForeignKeyField("models.SlackUser", related_name="links", on_delete=fields.CASCADE)
    member = fields.ForeignKeyField("models.Member", related_name="slack_links", on_delete=fields.CASCADE)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "slack_user_link"
        unique_together = (("slack_user", "member"),)


class SlackLinkCode(Model):
    """A one-time code a manager gives a member to link their Slack account, only its keyed hash is kept."""

    id = fields.IntField(primary_key=True)
    code_hash = fields.CharField(max_length=64, unique=True)
    member = fields.ForeignKeyField("models.Member", related_name="slack_link_codes", on_delete=fields.CASCADE)
    created_by = fields.ForeignKeyField("models.Member", related_name="slack_link_codes_issued", null=True,
                                        on_delete=fields.SET_NULL)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "slack_link_code"


class SlackLinkAttempt(Model):
    """A wrong link code a Slack person sent, counted so every process refuses guessing after a few."""

    id = fields.IntField(primary_key=True)
    team_id = fields.CharField(max_length=32)
    slack_user_id = fields.CharField(max_length=32)
    attempted_at = fields.DatetimeField()

    class Meta:
        table = "slack_link_attempt"
        indexes = (("team_id", "slack_user_id", "attempted_at"),)


class SlackDelivery(Model):
    """A request Slack delivered (event id or trigger id), so a retried delivery is acted on once."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=128, unique=True)
    received_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "slack_delivery"
