"""Connecting AWS data sources through the service, with moto checking keys and IAM policies."""

import json

import pytest

from core.adapters.base import CloudUnavailable
from core.crypto import SecretBox
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import DataSource
from core.queries.datasources import list_data_sources
from core.services import datasources
from tests.factories import make_member, make_org
from tests.integration import aws_world as world

BOX = SecretBox("k" * 40)


@pytest.fixture
def aws():
    """moto with IAM checks on: a read-only user of the root account, one of a linked account, a bucket."""
    world.reset()
    world.client("s3").create_bucket(Bucket="billing")
    keys = {"root": world.iam_user("cloudtuner", world.READ_ONLY),
            "no_s3": world.iam_user("no-s3", ["sts:GetCallerIdentity", "ec2:Describe*"]),
            "linked": world.iam_user("linked", world.READ_ONLY, account=world.LINKED_ACCOUNT)}
    world.iam_checks(True)
    yield keys
    world.iam_checks(False)


def _root_fields(keys: dict, **changes) -> dict:
    return {**keys, "export_type": "cur2", "bucket": "billing", "prefix": "cur", "export_name": "daily",
            "regions": "us-east-1", "endpoint_url": world.endpoint(), **changes}


def _linked_fields(keys: dict) -> dict:
    return {**keys, "regions": "us-east-1", "endpoint_url": world.endpoint()}


async def _connect(actor_id: int, fields: dict, kind: str = "aws_root", name: str = "AWS prod"):
    return await datasources.connect_data_source(actor_id=actor_id, kind=kind, name=name, fields=fields, box=BOX)


async def test_good_keys_connect_and_the_secret_is_sealed(db, aws):
    fx = await make_org()
    source = await _connect(fx.manager.id, _root_fields(aws["root"]))
    stored = await DataSource.get(id=source.id)
    assert stored.config["account_id"] == world.ROOT_ACCOUNT and stored.pool_id == fx.root.id
    assert stored.config["bucket"] == "billing" and "secret_access_key" not in stored.config
    assert aws["root"]["secret_access_key"] not in stored.secret
    assert json.loads(BOX.open(stored.secret)) == {"secret_access_key": aws["root"]["secret_access_key"]}
    linked = await _connect(fx.manager.id, _linked_fields(aws["linked"]), kind="aws_linked", name="AWS dev")
    assert linked.config["account_id"] == world.LINKED_ACCOUNT
    listed = await list_data_sources(organization_id=fx.org.id, member_id=fx.manager.id)
    assert [(s.name, s.account_id) for s in listed] == [("AWS dev", world.LINKED_ACCOUNT), ("AWS prod", world.ROOT_ACCOUNT)]
    assert "secret" not in repr(listed).lower()


@pytest.mark.parametrize("breaks, code, params", [
    ({"access_key_id": "AKIAWRONGWRONGWRONG1"}, "cloud_credentials_invalid",
     {"cloud": "AWS", "reason": "The security token included in the request is invalid."}),
    ({"secret_access_key": "not-the-secret"}, "cloud_credentials_invalid", None),
    ({"user": "no_s3"}, "cloud_permission_missing", {"cloud": "AWS", "permission": "s3:ListBucket"}),
    ({"bucket": "no-such-bucket"}, "cloud_bucket_not_found", {"bucket": "no-such-bucket"}),
    ({"bucket": ""}, "blank_value", {"field": "bucket", "label": "Export S3 bucket name"}),
    ({"colour": "blue"}, "datasource_field_unknown", None),
    ({"export_type": "cur3"}, "not_in_choices", None),
])
async def test_bad_keys_or_fields_get_a_clear_error_and_store_nothing(db, aws, breaks, code, params):
    fx = await make_org()
    changes = dict(breaks)
    keys = aws[changes.pop("user", "root")]
    with pytest.raises((InvalidInput, NotFound)) as err:
        await _connect(fx.manager.id, _root_fields(keys, **changes))
    assert err.value.code == code
    if params is not None:
        assert err.value.params == params
    assert await DataSource.all().count() == 0


async def test_an_account_connects_once_and_names_are_unique(db, aws):
    fx = await make_org()
    await _connect(fx.manager.id, _root_fields(aws["root"]))
    with pytest.raises(Conflict) as err:
        await _connect(fx.manager.id, _linked_fields(aws["root"]), kind="aws_linked", name="Same account")
    assert (err.value.code, err.value.params) == ("data_source_account_exists",
                                                  {"account": world.ROOT_ACCOUNT, "name": "AWS prod"})
    with pytest.raises(Conflict) as err:
        await _connect(fx.manager.id, _linked_fields(aws["linked"]), kind="aws_linked")
    assert err.value.code == "data_source_name_exists"
    other = await make_org(name="Other", email="boss@other.test")
    await _connect(other.manager.id, _root_fields(aws["root"]))  # another tenant may connect the same account
    assert await DataSource.all().count() == 2


@pytest.mark.parametrize("role", ["engineer", "pool_manager"])
async def test_only_org_managers_manage_data_sources(db, aws, role):
    fx = await make_org()
    source = await _connect(fx.manager.id, _root_fields(aws["root"]))
    member = await make_member(fx, "m@acme.test", role=role)
    with pytest.raises(PermissionDenied):
        await _connect(member.id, _linked_fields(aws["linked"]), kind="aws_linked", name="X")
    for call in (list_data_sources(organization_id=fx.org.id, member_id=member.id),
                 datasources.test_data_source(actor_id=member.id, data_source_id=source.id, box=BOX),
                 datasources.edit_data_source(actor_id=member.id, data_source_id=source.id, box=BOX, name="Y"),
                 datasources.delete_data_source(actor_id=member.id, data_source_id=source.id)):
        with pytest.raises(PermissionDenied):
            await call
    assert [s.name for s in await DataSource.all()] == ["AWS prod"]


async def test_test_edit_and_delete(db, aws):
    fx = await make_org()
    source = await _connect(fx.manager.id, _root_fields(aws["root"]))
    info = await datasources.test_data_source(actor_id=fx.manager.id, data_source_id=source.id, box=BOX)
    assert info.account_id == world.ROOT_ACCOUNT
    edited = await datasources.edit_data_source(actor_id=fx.manager.id, data_source_id=source.id, box=BOX,
                                                name="AWS main", fields={"secret_access_key": "", "prefix": "cur2"})
    stored = await DataSource.get(id=source.id)
    assert (edited.name, stored.config["prefix"]) == ("AWS main", "cur2")
    assert stored.config["account_id"] == world.ROOT_ACCOUNT
    assert json.loads(BOX.open(stored.secret))["secret_access_key"] == aws["root"]["secret_access_key"]
    with pytest.raises(Conflict) as err:
        await datasources.edit_data_source(actor_id=fx.manager.id, data_source_id=source.id, box=BOX,
                                           fields=aws["linked"])
    assert err.value.params == {"old": world.ROOT_ACCOUNT, "new": world.LINKED_ACCOUNT}
    with pytest.raises(InvalidInput) as err:
        await datasources.edit_data_source(actor_id=fx.manager.id, data_source_id=source.id, box=BOX,
                                           fields={"secret_access_key": "wrong"})
    assert err.value.code == "cloud_credentials_invalid"
    assert (await DataSource.get(id=source.id)).config == stored.config
    await datasources.delete_data_source(actor_id=fx.manager.id, data_source_id=source.id)
    assert await DataSource.all().count() == 0


async def test_another_organizations_data_source_is_not_found(db, aws):
    fx = await make_org()
    source = await _connect(fx.manager.id, _root_fields(aws["root"]))
    other = await make_org(name="Other", email="boss@other.test")
    for call in (datasources.test_data_source(actor_id=other.manager.id, data_source_id=source.id, box=BOX),
                 datasources.edit_data_source(actor_id=other.manager.id, data_source_id=source.id, box=BOX, name="Z"),
                 datasources.delete_data_source(actor_id=other.manager.id, data_source_id=source.id)):
        with pytest.raises(NotFound) as err:
            await call
        assert err.value.code == "data_source_not_found"
    assert (await DataSource.get(id=source.id)).name == "AWS prod"


async def test_an_unreachable_cloud_stores_nothing(db):
    fx = await make_org()
    fields = _root_fields({"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "x"},
                          endpoint_url="http://127.0.0.1:9")
    with pytest.raises(CloudUnavailable):
        await _connect(fx.manager.id, fields)
    assert await DataSource.all().count() == 0


async def test_operators_find_data_sources_and_act_as_a_manager(db):
    acme, other = await make_org(), await make_org(name="Other", email="boss@other.test")
    for fx in (acme, other):
        await DataSource.create(organization_id=fx.org.id, name="AWS prod", kind="aws_root", pool_id=fx.root.id)
    with pytest.raises(InvalidInput) as err:
        await datasources.data_source_named(name="AWS prod")
    assert err.value.params == {"field": "name", "name": "AWS prod", "organizations": "Acme, Other"}
    found = await datasources.data_source_named(name="AWS prod", organization="Other")
    assert found.organization_id == other.org.id
    with pytest.raises(NotFound) as err:
        await datasources.data_source_named(name="AWS dev")
    assert err.value.code == "data_source_named_not_found"
    assert (await datasources.operator_actor(organization="Acme")).id == acme.manager.id
    engineer = await make_member(acme, "eng@acme.test")
    assert (await datasources.operator_actor(organization="Acme", email="ENG@acme.test")).id == engineer.id
    with pytest.raises(NotFound) as err:
        await datasources.operator_actor(organization="Acme", email="boss@other.test")
    assert err.value.code == "operator_not_member"
    with pytest.raises(NotFound) as err:
        await datasources.operator_actor(organization="Nope")
    assert err.value.code == "organization_not_found"
