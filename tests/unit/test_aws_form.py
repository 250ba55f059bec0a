"""The AWS form and config, where an export's files live, and how SDK errors become core errors."""

from datetime import date

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError, ReadTimeoutError

from core.adapters.aws import exports, form, kinds
from core.adapters.aws.errors import translate
from core.adapters.base import CloudUnavailable, Credentials
from core.errors import InvalidInput, NotFound
from core.messages import CATALOG, render

ROOT_FIELDS = {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "export_type": "cur2", "bucket": "billing-exports",
               "prefix": "/cur/", "export_name": "daily"}


def _root(**changes) -> form.AwsConfig:
    values = {**ROOT_FIELDS, **changes}
    return form.parse(Credentials(config=values, secrets={"secret_access_key": "s3cret"}), root=True)


def test_root_config_is_typed_and_trimmed():
    parsed = _root(regions="eu-west-1, us-east-1", connected_accounts=["210987654321"], currency="EUR")
    assert parsed.prefix == "cur" and parsed.regions == ("eu-west-1", "us-east-1")
    assert parsed.connected_accounts == frozenset({"210987654321"}) and parsed.currency == "EUR"
    assert parsed.endpoint_url is None and parsed.root


def test_linked_config_needs_only_keys():
    parsed = form.parse(Credentials(config={"access_key_id": "AKIAIOSFODNN7EXAMPLE"},
                                      secrets={"secret_access_key": "x"}), root=False)
    assert not parsed.root and parsed.bucket == ""


@pytest.mark.parametrize("changes, code, field, label", [
    ({"bucket": ""}, "datasource_field_missing", "bucket", "Export S3 bucket name"),
    ({"bucket": "Not_A_Bucket"}, "datasource_field_invalid", "bucket", "Export S3 bucket name"),
    ({"export_name": "a/b"}, "datasource_field_invalid", "export_name", "Export name"),
    ({"export_type": "cur3"}, "datasource_field_invalid", "export_type", "Export type"),
    ({"access_key_id": "short"}, "datasource_field_invalid", "access_key_id", "AWS access key ID"),
    ({"regions": "us-east-1,mars-1"}, "datasource_field_invalid", "regions",
     "Regions (comma-separated; empty = all enabled)"),
    ({"endpoint_url": "ftp://x"}, "datasource_field_invalid", "endpoint_url", "Endpoint URL (AWS-compatible API)"),
    ({"connected_accounts": ["12"]}, "datasource_field_invalid", "connected_accounts", "Connected accounts"),
])
def test_bad_fields_are_named_by_key_and_read_by_label(changes, code, field, label):
    with pytest.raises(InvalidInput) as err:
        _root(**changes)
    assert (err.value.code, err.value.params["field"]) == (code, field)
    assert str(err.value).startswith(label)


def test_form_marks_only_the_secret_key_secret():
    assert [f.name for f in kinds.ROOT.fields if f.secret] == ["secret_access_key"]
    assert [f.name for f in kinds.LINKED.fields] == ["access_key_id", "secret_access_key", "regions",
                                                          "endpoint_url"]


def test_export_paths_follow_the_guide():
    cur2 = _root()
    assert exports.period_folder(cur2, date(2025, 3, 1)) == (
        "cur/daily/data/BILLING_PERIOD=2025-03/", "cur/daily/metadata/BILLING_PERIOD=2025-03/daily-Manifest.json")
    legacy = _root(export_type="legacy", prefix="")
    assert exports.period_folder(legacy, date(2024, 12, 1)) == (
        "daily/20241201-20250101/", "daily/20241201-20250101/daily-Manifest.json")


def test_months_of_a_range():
    assert exports.months(date(2024, 11, 15), date(2025, 2, 1)) == [
        date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]
    assert exports.months(date(2025, 3, 31), date(2025, 3, 31)) == [date(2025, 3, 1)]


def _client_error(code: str, message: str = "", status: int = 400) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, "Operation")


@pytest.mark.parametrize("error, service, operation, code, params", [
    (_client_error("InvalidClientTokenId", "The security token included in the request is invalid.", 403),
     "sts", "GetCallerIdentity", "cloud_credentials_invalid",
     {"cloud": "AWS", "reason": "The security token included in the request is invalid."}),
    (_client_error("SignatureDoesNotMatch", "bad signature", 403), "sts", "GetCallerIdentity",
     "cloud_credentials_invalid", {"cloud": "AWS", "reason": "bad signature"}),
    (_client_error("AccessDenied", "Access Denied", 403), "s3", "ListObjectsV2", "cloud_permission_missing",
     {"cloud": "AWS", "permission": "s3:ListBucket"}),
    (_client_error("UnauthorizedOperation", "You are not authorized to perform this operation.", 403), "ec2",
     "DescribeRegions", "cloud_permission_missing", {"cloud": "AWS", "permission": "ec2:DescribeRegions"}),
    (_client_error("403", "User: arn:aws:iam::1:user/x is not authorized to perform: monitoring:ListMetrics", 403),
     "cloudwatch", "ListMetrics", "cloud_permission_missing", {"cloud": "AWS", "permission": "cloudwatch:ListMetrics"}),
    (_client_error("NoSuchBucket", "The specified bucket does not exist", 404), "s3", "ListObjectsV2",
     "cloud_bucket_not_found", {"bucket": "billing"}),
    (_client_error("RequestLimitExceeded", "slow down", 503), "ec2", "DescribeInstances", "cloud_unavailable",
     {"cloud": "AWS", "reason": "slow down"}),
    (_client_error("IncorrectInstanceState", "not stopped", 400), "ec2", "StartInstances", "cloud_request_refused",
     {"cloud": "AWS", "action": "ec2:StartInstances", "reason": "not stopped"}),
])
def test_client_errors_become_core_errors(error, service, operation, code, params):
    translated = translate(error, service=service, operation=operation, bucket="billing")
    assert (translated.code, translated.params) == (code, params)
    assert render(translated.code, **translated.params) != CATALOG[translated.code]  # every placeholder filled


def test_error_classes_say_who_must_act():
    assert isinstance(translate(_client_error("NoSuchBucket"), service="s3", operation="GetObject"), NotFound)
    assert isinstance(translate(_client_error("AccessDenied"), service="s3", operation="GetObject"), InvalidInput)
    down = translate(EndpointConnectionError(endpoint_url="https://ec2.example"), service="ec2",
                     operation="DescribeRegions")
    assert isinstance(down, CloudUnavailable) and down.code == "cloud_unavailable"
    slow = translate(ReadTimeoutError(endpoint_url="https://s3.example"), service="s3", operation="GetObject")
    assert isinstance(slow, CloudUnavailable)
    keys = translate(NoCredentialsError(), service="sts", operation="GetCallerIdentity")
    assert keys.code == "cloud_credentials_invalid"
    assert "no access key" in str(keys)


@pytest.mark.parametrize("content, reason", [
    (None, "No such file or directory"), ("{not json", "not JSON"), ("[1, 2]", "not a JSON object of fields"),
])
def test_the_cli_config_file_must_be_a_json_object(tmp_path, content, reason):
    from config.cli_datasources import _fields

    path = tmp_path / "aws.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(InvalidInput) as err:
        _fields(path)
    assert err.value.code == "config_file_unreadable" and reason in err.value.params["reason"]


def test_the_cli_config_file_gives_the_fields(tmp_path):
    from config.cli_datasources import _fields

    path = tmp_path / "aws.json"
    path.write_text('{"access_key_id": "AKIA", "secret_access_key": "s"}')
    assert _fields(path) == {"access_key_id": "AKIA", "secret_access_key": "s"}
