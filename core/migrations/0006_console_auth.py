"""Console sign-in tables (credentials, one-time tokens, the sign-in throttle) and the organization time zone."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class AddFieldWithDefault(ops.AddField):
    """AddField whose column also gets a database default, so existing rows are filled on upgrade (Tortoise's
    defaults live in Python only, and a NOT NULL column added to a table with rows would be refused)."""

    def __init__(self, *, sql_default: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sql_default = sql_default

    async def database_forward(self, app_label, old_state, new_state, state_editor=None) -> None:
        if not state_editor:
            return
        model = new_state.apps.get_model(f"{app_label}.{self.model_name}")
        table = model._meta.db_table
        await state_editor._run_sql(f'ALTER TABLE "{table}" ADD COLUMN "{self.name}" VARCHAR({self.field.max_length}) '
                                    f"NOT NULL DEFAULT {self.sql_default}")



class Migration(migrations.Migration):
    dependencies = [('models', '0005_sample_sources')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Credential',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='credential', on_delete=OnDelete.CASCADE)),
                ('password_hash', fields.CharField(max_length=255)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'credential', 'app': 'models', 'pk_attr': 'id', 'table_description': "A member's console password, kept only as an argon2 hash."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OneTimeToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('purpose', fields.CharField(max_length=16)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='one_time_tokens', on_delete=OnDelete.CASCADE)),
                ('created_by', fields.ForeignKeyField('models.Member', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='one_time_tokens_issued', on_delete=OnDelete.SET_NULL)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'one_time_token', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A single-use secret in a link: an invite (sets a password) or a sign-in link from the bot.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SignInThrottle',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=300)),
                ('failures', fields.IntField(default=0)),
                ('window_started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sign_in_throttle', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Failed sign-ins of one key (an account or a client address) in the current window.'},
            bases=['Model'],
        ),
        AddFieldWithDefault(
            model_name='Organization',
            name='timezone',
            field=fields.CharField(default='UTC', max_length=64),
            sql_default="'UTC'",
        ),
    ]
