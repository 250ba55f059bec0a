"""Cloud data sources: connect (credentials checked by the cloud first), test, edit, delete (lists: core.queries).

Non-secret fields are kept as JSON config; secret fields are sealed with the process SecretBox. One cloud
account is connected once per organization (refused by its account id).
"""

from __future__ import annotations

import json

from core import validate
from core.adapters.base import AccountInfo, CloudAdapter, ConfigField, Credentials
from core.adapters.registry import adapter_for, kind_info
from core.adapters.sample import SampleAdapter
from core.crypto import SecretBox
from core.db import transaction
from core.errors import Conflict, InvalidInput, NotFound
from core.models import DataSource, Member, Organization, Pool, Role
from core.permissions import load_actor, require_org_manager
from core.queries.datasources import ACCOUNT_ID
from core.services import lookup



async def connect_data_source(*, actor_id: int, kind: str, name: str, fields: dict, box: SecretBox,
                              pool_id: int | None = None) -> DataSource:
    """Check the credentials with the cloud, then store the data source (default pool: the root pool).

    Raises: PermissionDenied, InvalidInput (name, kind, a field, credentials, permission), NotFound (pool,
    bucket), Conflict (name taken, account already connected), CloudUnavailable.
    """
    actor = await _manager(actor_id)
    name = validate.text("name", name)
    kind_of = kind_info(kind)
    kind = kind_of.kind.value
    pool = await _pool(actor, pool_id)
    config, secrets = _clean(kind_of.fields, fields)
    await _refuse_name(actor.organization_id, name)
    info = await adapter_for(kind, Credentials(config=config, secrets=secrets)).validate()
    async with transaction():
        await _refuse_name(actor.organization_id, name)
        await _refuse_account(actor.organization_id, info.account_id)
        return await DataSource.create(organization_id=actor.organization_id, name=name, kind=kind, pool_id=pool.id,
                                       config={**config, ACCOUNT_ID: info.account_id},
                                       secret=box.seal(json.dumps(secrets)))


async def test_data_source(*, actor_id: int, data_source_id: int, box: SecretBox) -> AccountInfo:
    """Check the stored credentials with the cloud again.

    Raises: PermissionDenied, NotFound, InvalidInput (credentials, permission), Conflict (keys of another
    account), CloudUnavailable.
    """
    actor = await _manager(actor_id)
    source = await _source(actor, data_source_id)
    info = await open_adapter(source, box).validate()
    _same_account(source, info)
    return info


async def edit_data_source(*, actor_id: int, data_source_id: int, box: SecretBox, name: str | None = None,
                           fields: dict | None = None, pool_id: int | None = None) -> DataSource:
    """Rename, move to another pool, or change fields (a blank secret keeps the stored one); changed fields
    are checked with the cloud and must still reach the same account.

    Raises: PermissionDenied, NotFound, InvalidInput, Conflict (name taken, another account), CloudUnavailable.
    """
    actor = await _manager(actor_id)
    source = await _source(actor, data_source_id)
    new_name = validate.text("name", name) if name is not None else source.name
    pool = await _pool(actor, pool_id if pool_id is not None else source.pool_id)
    config, secrets = dict(source.config), _secrets(source, box)
    if fields is not None:
        form = kind_info(source.kind).fields
        kept = {f.name for f in form if f.secret and not str(fields.get(f.name) or "").strip()}
        stored = {k: v for k, v in {**config, **secrets}.items() if k != ACCOUNT_ID}
        config, secrets = _clean(form, {**stored, **{k: v for k, v in fields.items() if k not in kept}})
        info = await adapter_for(source.kind.value, Credentials(config=config, secrets=secrets)).validate()
        _same_account(source, info)
        config[ACCOUNT_ID] = info.account_id
    async with transaction():
        if new_name != source.name:
            await _refuse_name(actor.organization_id, new_name)
        source.name, source.pool_id, source.config = new_name, pool.id, config
        source.secret = box.seal(json.dumps(secrets))
        await source.save(update_fields=["name", "pool_id", "config", "secret"])
    return source


async def delete_data_source(*, actor_id: int, data_source_id: int) -> None:
    """Forget a data source and its credentials; its resources and expenses stay, without a data source.

    Raises: PermissionDenied, NotFound.
    """
    actor = await _manager(actor_id)
    async with transaction():
        source = await _source(actor, data_source_id)
        await source.delete()


def open_adapter(source: DataSource, box: SecretBox, **context: object) -> CloudAdapter:
    """The adapter of a stored data source, its secrets unsealed; context adds per-run config (never stored).
    A sample data source gets the stand-in that simulates every call.

    Raises: InvalidInput (adapter_unknown/unavailable, secret_undecryptable, a stored field now invalid).
    """
    if source.sample:
        return SampleAdapter()
    return adapter_for(source.kind.value, Credentials(config={**source.config, **context},
                                                            secrets=_secrets(source, box)))


def _secrets(source: DataSource, box: SecretBox) -> dict:
    return json.loads(box.open(source.secret)) if source.secret else {}


def _clean(form: tuple[ConfigField, ...], fields: dict) -> tuple[dict, dict]:
    """(config, secrets) from the form's fields; unknown fields are refused so typos do not pass silently."""
    names = [f.name for f in form]
    unknown = sorted(set(fields) - set(names))
    if unknown:
        raise InvalidInput("datasource_field_unknown", field=unknown[0], label=unknown[0], fields=", ".join(names))
    config, secrets = {}, {}
    for spec in form:
        raw = fields.get(spec.name)
        raw = ",".join(str(v) for v in raw) if isinstance(raw, (list, tuple)) else raw
        value = validate.text(spec.name, str(raw) if raw is not None else spec.default, max_length=4096,
                              required=spec.required, label=spec.label)
        if spec.choices and value not in spec.choices:
            raise InvalidInput("not_in_choices", field=spec.name, label=spec.label, value=value, choices=", ".join(spec.choices))
        (secrets if spec.secret else config)[spec.name] = value
    return config, secrets


async def _manager(actor_id: int) -> Member:
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    return actor


async def _source(actor: Member, data_source_id: int) -> DataSource:
    source = await DataSource.get_or_none(id=data_source_id, organization_id=actor.organization_id)
    if source is None:
        raise NotFound("data_source_not_found", data_source_id=data_source_id)
    return source


async def _pool(actor: Member, pool_id: int | None) -> Pool:
    if pool_id is None:
        return await Pool.get(organization_id=actor.organization_id, parent_id=None)
    return await lookup.pool(pool_id, actor.organization_id)


async def _refuse_name(organization_id: int, name: str) -> None:
    if await DataSource.exists(organization_id=organization_id, name=name):
        raise Conflict("data_source_name_exists", field="name", name=name)


async def _refuse_account(organization_id: int, account_id: str) -> None:
    for source in await DataSource.filter(organization_id=organization_id):
        if source.config.get(ACCOUNT_ID) == account_id:
            raise Conflict("data_source_account_exists", account=account_id, name=source.name)


def _same_account(source: DataSource, info: AccountInfo) -> None:
    stored = source.config.get(ACCOUNT_ID)
    if stored and stored != info.account_id:
        raise Conflict("data_source_account_changed", old=stored, new=info.account_id)


async def operator_actor(*, organization: str, email: str | None = None) -> Member:
    """Who an operator's command acts as: the named member, else the organization's first org manager.

    Raises: NotFound (organization, member).
    """
    org = await Organization.get_or_none(name=organization)
    if org is None:
        raise NotFound("organization_not_found", name=organization)
    members = Member.filter(organization_id=org.id)
    found = await (members.filter(email=email.strip().lower()) if email else
                   members.filter(role=Role.ORG_MANAGER)).order_by("id").first()
    if found is None:
        raise NotFound("operator_not_member", email=email or "an organization manager", organization=organization)
    return found


async def data_source_named(*, name: str, organization: str | None = None) -> DataSource:
    """A data source by name for operators' commands; the organization is needed only when names clash.

    Raises: NotFound (data_source_named_not_found), InvalidInput (data_source_name_ambiguous).
    """
    query = DataSource.filter(name=name)
    if organization is not None:
        query = query.filter(organization__name=organization)
    found = await query.prefetch_related("organization")
    if not found:
        raise NotFound("data_source_named_not_found", name=name)
    if len(found) > 1:
        raise InvalidInput("data_source_name_ambiguous", field="name", name=name,
                           organizations=", ".join(sorted(s.organization.name for s in found)))
    return found[0]
