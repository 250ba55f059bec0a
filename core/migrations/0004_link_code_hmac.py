"""Link codes are kept as HMAC under the secret key, and wrong codes are counted per Slack person.

Codes issued before this migration were kept as plain SHA-256 and can no longer be matched: the unused ones are
dropped (a manager issues a new one; they lived 24 hours at most).
"""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

DROP_UNUSED_SHA256_CODES = "DELETE FROM slack_link_code WHERE used_at IS NULL"


class Migration(migrations.Migration):
    dependencies = [('models', '0003_event_outbox')]

    operations = [
        ops.CreateModel(
            name='SlackLinkAttempt',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('team_id', fields.CharField(max_length=32)),
                ('slack_user_id', fields.CharField(max_length=32)),
                ('attempted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'slack_link_attempt', 'app': 'models', 'indexes': [Index(fields=['team_id', 'slack_user_id', 'attempted_at'])], 'pk_attr': 'id', 'table_description': 'A wrong link code a Slack person sent, counted so every process refuses guessing after a few.'},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='SlackLinkCode',
            options={'table': 'slack_link_code', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A one-time code a manager gives a member to link their Slack account, only its keyed hash is kept.'},
        ),
        ops.RunSQL(DROP_UNUSED_SHA256_CODES, ops.RunSQL.noop),
    ]
