"""Console sign-in: passwords, one-time tokens (invites, sign-in links), and the shared sign-in throttle."""

from tortoise import fields
from tortoise.models import Model


class Credential(Model):
    """A member's console password, kept only as an argon2 hash."""

    id = fields.IntField(primary_key=True)
    member = fields.OneToOneField("models.Member", related_name="credential", on_delete=fields.CASCADE)
    password_hash = fields.CharField(max_length=255)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "credential"


class OneTimeToken(Model):
    """A single-use secret in a link: an invite (sets a password) or a sign-in link from the bot.

    Only the SHA-256 of the token is stored, so a database reader cannot use it.
    """

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    purpose = fields.CharField(max_length=16)
    member = fields.ForeignKeyField("models.Member", related_name="one_time_tokens", on_delete=fields.CASCADE)
    created_by = fields.ForeignKeyField("models.Member", related_name="one_time_tokens_issued", null=True,
                                        on_delete=fields.SET_NULL)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "one_time_token"


class SignInThrottle(Model):
    """Failed sign-ins of one key (an account or a client address) in the current window."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=300, unique=True)
    failures = fields.IntField(default=0)
    window_started_at = fields.DatetimeField()
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "sign_in_throttle"
