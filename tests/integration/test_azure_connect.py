"""Connecting Azure data sources through the service: the fake Entra ID and ARM check secrets and roles."""

import json

import pytest

from core.adapters.base import CloudUnavailable
from core.crypto import SecretBox
from core.errors import Conflict, InvalidInput
from core.models import DataSource
from core.services import datasources
from tests.factories import make_org
from tests.integration import azure_world as world
from tests.integration.azure_world import azure, azure_server  # noqa: F401 (fixtures)

BOX = SecretBox("k" * 40)
OTHER = "99999999-9999-4999-8999-999999999999"


async def _connect(actor_id: int, fields: dict, kind: str = "azure_subscription", name: str = "Azure prod"):
    return await datasources.connect_data_source(actor_id=actor_id, kind=kind, name=name, fields=fields, box=BOX)


async def test_a_subscription_and_a_tenant_connect_with_the_secret_sealed(db, azure):
    world.two_subscriptions(azure)
    fx = await make_org()
    source = await _connect(fx.manager.id, world.fields())
    stored = await DataSource.get(id=source.id)
    assert stored.config == {"subscription_id": world.SUB_A, "tenant_id": world.TENANT, "client_id": world.CLIENT,
                             "account_id": world.SUB_A}
    assert world.SECRET not in stored.secret and json.loads(BOX.open(stored.secret)) == {"client_secret": world.SECRET}
    tenant = await _connect(fx.manager.id, world.fields("azure_tenant"), kind="azure_tenant", name="Azure all")
    assert tenant.config["account_id"] == world.TENANT
    info = await datasources.test_data_source(actor_id=fx.manager.id, data_source_id=tenant.id, box=BOX)
    assert info.display == f"tenant {world.TENANT} (2 subscriptions)"
    with pytest.raises(Conflict):
        await _connect(fx.manager.id, world.fields(), name="Azure again")


@pytest.mark.parametrize("kind, changes, arrange, code, field", [
    ("azure_subscription", {"client_secret": "wrong"}, None, "azure_secret_invalid", "client_secret"),
    ("azure_subscription", {"tenant_id": OTHER}, None, "azure_tenant_not_found", "tenant_id"),
    ("azure_subscription", {"client_id": OTHER}, None, "azure_client_not_found", "client_id"),
    ("azure_subscription", {"subscription_id": OTHER}, None, "azure_subscription_not_found", "subscription_id"),
    ("azure_subscription", {}, "no_reader", "azure_reader_role_missing", "subscription_id"),
    ("azure_subscription", {}, "no_compute_read", "azure_reader_role_missing", "subscription_id"),
    ("azure_tenant", {}, "no_reader", "azure_no_subscriptions", "client_id"),
    ("azure_subscription", {"subscription_id": "prod"}, None, "datasource_field_invalid", "subscription_id"),
])
async def test_each_mistake_gets_its_own_message_naming_the_field(db, azure, kind, changes, arrange, code, field):
    world.two_subscriptions(azure)
    if arrange == "no_reader":
        for subscription in azure.subscriptions.values():
            subscription.readers, subscription.operators = set(), set()
    if arrange == "no_compute_read":
        azure.subscriptions[world.SUB_A].denied = {"microsoft.compute/virtualmachines"}
    fx = await make_org()
    with pytest.raises(InvalidInput) as err:
        await _connect(fx.manager.id, world.fields(kind, **changes), kind=kind)
    assert (err.value.code, err.value.params["field"]) == (code, field)
    assert "{" not in str(err.value) and world.SECRET not in str(err.value)
    assert await DataSource.filter(organization_id=fx.org.id).count() == 0


async def test_the_reader_message_says_which_role_to_grant(db, azure):
    world.two_subscriptions(azure)
    azure.subscriptions[world.SUB_A].readers = set()
    azure.subscriptions[world.SUB_A].operators = set()
    fx = await make_org()
    with pytest.raises(InvalidInput) as err:
        await _connect(fx.manager.id, world.fields())
    assert str(err.value) == (
        f"Application {world.CLIENT} may not read subscription {world.SUB_A} "
        "(Microsoft.Resources/subscriptions/read was refused). Give it the Reader role: Subscriptions → the "
        "subscription → Access control (IAM) → + Add role assignment → Reader.")


async def test_an_unreachable_azure_is_unavailable(db, azure):
    from core.adapters import context

    world.two_subscriptions(azure)
    context.use(context.AdapterContext(azure_arm_url="https://127.0.0.1:9", azure_authority_url="https://127.0.0.1:9"))
    fx = await make_org()
    with pytest.raises(CloudUnavailable) as err:
        await _connect(fx.manager.id, world.fields())
    assert err.value.params["cloud"] == "Azure"
