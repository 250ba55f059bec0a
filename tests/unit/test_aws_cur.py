"""CUR parsing without AWS: column names, sums to the exact decimal, and every kind of rejected row."""

import gzip
import io
from datetime import date, datetime, timezone
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.adapters.aws import columns, cur
from core.errors import InvalidInput

ROOT, LINKED, STRANGER = "123456789012", "210987654321", "333333333333"
SCOPE = cur.Scope(start=date(2025, 3, 1), end=date(2025, 3, 31), accounts=frozenset({ROOT, LINKED}), currency="USD")
HEADER = ("identity/LineItemId,lineItem/UsageAccountId,lineItem/UsageStartDate,lineItem/ProductCode,"
          "lineItem/ResourceId,lineItem/UnblendedCost,lineItem/CurrencyCode,product/region,resourceTags/user:Name,"
          "resourceTags/user:team")


def _csv(*rows: str, header: str = HEADER) -> io.BytesIO:
    return io.BytesIO(gzip.compress("\n".join([header, *rows, ""]).encode()))


def _summarize(source: io.BytesIO, name: str = "a.csv.gz", scope: cur.Scope = SCOPE) -> cur.Summary:
    summary = cur.Summary()
    table, used, tags, missing = cur.read(source, name, summary)
    cur.add(summary, table, used, tags, missing, scope)
    return summary


def _costs(summary: cur.Summary) -> dict[tuple[str, str, date], Decimal]:
    table = cur.totals(summary)
    return {(a, r, d): c for a, r, d, c in zip(*(table.column(n).to_pylist()
                                                 for n in ("account", "resource", "day", "cost")))}


@pytest.mark.parametrize("name, expected", [
    ("lineItem/UsageAccountId", "line_item_usage_account_id"),
    ("lineItem/UnblendedCost", "line_item_unblended_cost"),
    ("product/region", "product_region"),
    ("product/regionCode", "product_region_code"),
    ("line_item_resource_id", "line_item_resource_id"),
])
def test_legacy_and_cur2_names_meet_in_one_canonical_form(name, expected):
    assert columns.canonical(name) == expected


@pytest.mark.parametrize("name, key", [
    ("resourceTags/user:Name", "Name"), ("resourceTags/aws:createdBy", "aws:createdBy"),
    ("resource_tags_user_team", "team"), ("resource_tags", None), ("lineItem/ResourceId", None),
])
def test_tag_columns_name_their_tag(name, key):
    assert columns.tag_key(name) == key


def test_legacy_csv_sums_per_resource_and_day_exactly():
    summary = _summarize(_csv(
        f"1,{ROOT},2025-03-01T00:00:00Z,AmazonEC2,i-1,0.0104,USD,us-east-1,web,blue",
        f"2,{ROOT},2025-03-01T01:00:00Z,AmazonEC2,i-1,0.0104000001,USD,us-east-1,web,blue",
        f"3,{ROOT},2025-03-02T00:00:00Z,AmazonEC2,i-1,1.5E-3,USD,us-east-1,web,blue",
        f"4,{LINKED},2025-03-02T00:00:00Z,AmazonEC2,arn:aws:ec2:eu-west-1:{LINKED}:snapshot/snap-9,0.05,USD,"
        "eu-west-1,,",
        f"5,{ROOT},2025-03-02T00:00:00Z,AWSSupport,,29,USD,,,",
        f"6,{ROOT},2025-03-02T00:00:00Z,AmazonS3,arn:aws:s3:::logs,0.2,USD,us-east-1,,"))
    assert _costs(summary) == {
        (ROOT, "i-1", date(2025, 3, 1)): Decimal("0.0208000001"),
        (ROOT, "i-1", date(2025, 3, 2)): Decimal("0.0015"),
        (LINKED, "snap-9", date(2025, 3, 2)): Decimal("0.05"),
        (ROOT, f"{ROOT}/AWSSupport", date(2025, 3, 2)): Decimal("29"),
        (ROOT, "logs", date(2025, 3, 2)): Decimal("0.2"),
    }
    assert summary.items_read == 6 and not summary.rejected and summary.missing_columns == set()
    assert summary.facts[(ROOT, "i-1")] == ("us-east-1", "AmazonEC2", {"Name": "web", "team": "blue"})
    assert summary.facts[(LINKED, "snap-9")] == ("eu-west-1", "AmazonEC2", {})


def test_every_bad_row_is_counted_under_its_reason_and_left_out():
    summary = _summarize(_csv(
        f"1,{ROOT},2025-03-01T00:00:00Z,AmazonEC2,i-1,1.00,USD,us-east-1,,",
        f"2,{ROOT},2025-03-01T00:00:00Z,AmazonEC2,i-1,twelve,USD,us-east-1,,",
        f"3,{ROOT},2025-03-01T00:00:00Z,AmazonEC2,i-1,,USD,us-east-1,,",
        f"4,{ROOT},2025-02-30T00:00:00Z,AmazonEC2,i-1,1,USD,us-east-1,,",
        f"5,{ROOT},yesterday,AmazonEC2,i-1,1,USD,us-east-1,,",
        f"6,{ROOT},2025-03-01T00:00:00Z,AmazonEC2,i-1,1,EUR,us-east-1,,",
        f"7,{ROOT},2025-03-01T00:00:00Z,AmazonEC2,i-1,1,??,us-east-1,,",
        "8,12345,2025-03-01T00:00:00Z,AmazonEC2,i-1,1,USD,us-east-1,,",
        f"9,{STRANGER},2025-03-01T00:00:00Z,AmazonEC2,i-7,1,USD,us-east-1,,",
        f"10,{STRANGER},2025-03-01T00:00:00Z,AmazonEC2,i-7,1,USD,us-east-1,,",
        f"11,{ROOT},2025-03-01T00:00:00Z,AmazonEC2,i-1,1,USD",
        f"12,{ROOT},2025-04-01T00:00:00Z,AmazonEC2,i-1,5,USD,us-east-1,,"))
    assert summary.rejected == {
        "malformed unblended cost": 2,
        "malformed usage start date": 2,
        "currency EUR is not the organization's USD": 1,
        "unknown currency code \"??\"": 1,
        "malformed usage account id": 1,
        f"account {STRANGER} is not connected": 2,
        "malformed row (7 fields where the header has 10)": 1,
    }
    assert summary.items_read == 12
    assert _costs(summary) == {(ROOT, "i-1", date(2025, 3, 1)): Decimal("1.00")}  # April's row is out of range


def test_cur2_parquet_with_timestamps_doubles_and_a_tag_map():
    table = pa.table({
        "line_item_usage_account_id": [ROOT, ROOT, LINKED],
        "line_item_usage_start_date": pa.array([datetime(2025, 3, 5, 23, tzinfo=timezone.utc),
                                                datetime(2025, 3, 5, 22, tzinfo=timezone.utc),
                                                datetime(2025, 3, 6, 0, tzinfo=timezone.utc)],
                                               pa.timestamp("ms", "UTC")),
        "line_item_unblended_cost": [0.1, 0.2, float("nan")],
        "line_item_resource_id": ["vol-1", "vol-1", "i-2"],
        "line_item_product_code": ["AmazonEC2"] * 3,
        "line_item_currency_code": ["USD"] * 3,
        "product_region_code": ["eu-west-1"] * 3,
        "resource_tags": pa.array([[("user_team", "data")], [], []], pa.map_(pa.string(), pa.string())),
    })
    out = io.BytesIO()
    pq.write_table(table, out)
    out.seek(0)
    summary = _summarize(out, "x.snappy.parquet")
    assert _costs(summary) == {(ROOT, "vol-1", date(2025, 3, 5)): Decimal("0.3")}
    assert summary.rejected == {"malformed unblended cost": 1}
    assert summary.facts[(ROOT, "vol-1")] == ("eu-west-1", "AmazonEC2", {"team": "data"})


def test_a_csv_resource_tags_column_holds_json():
    header = ("line_item_usage_account_id,line_item_usage_start_date,line_item_unblended_cost,"
              "line_item_resource_id,resource_tags")
    summary = _summarize(_csv(f'{ROOT},2025-03-01T00:00:00.000Z,2,i-1,"{{""user_owner"": ""ann""}}"', header=header))
    assert summary.facts[(ROOT, "i-1")] == ("", "", {"owner": "ann"})
    assert summary.missing_columns == {"line_item_product_code", "line_item_currency_code", "product_region_code"}
    assert _costs(summary) == {(ROOT, "i-1", date(2025, 3, 1)): Decimal(2)}


def test_a_missing_required_column_fails_the_whole_file():
    header = HEADER.replace("lineItem/UnblendedCost", "lineItem/BlendedCost")
    with pytest.raises(InvalidInput) as err:
        _summarize(_csv(f"1,{ROOT},2025-03-01T00:00:00Z,AmazonEC2,i-1,1,USD,us-east-1,,", header=header))
    assert err.value.code == "billing_column_missing"
    assert err.value.params == {"file": "a.csv.gz", "column": "line_item_unblended_cost"}


@pytest.mark.parametrize("name, body", [
    ("a.csv.gz", b"not gzip at all"),
    ("a.csv.gz", gzip.compress(HEADER.encode())[:-9]),
    ("a.snappy.parquet", b"PAR1 truncated"),
])
def test_a_corrupt_file_fails_as_unreadable(name, body):
    with pytest.raises(InvalidInput) as err:
        _summarize(io.BytesIO(body), name)
    assert err.value.code == "billing_file_unreadable" and err.value.params["file"] == name


def test_files_add_up_across_summaries():
    summary = cur.Summary()
    for n in range(2):
        source = _csv(f"{n},{ROOT},2025-03-01T00:00:00Z,AmazonEC2,i-1,0.5,USD,us-east-1,,")
        table, used, tags, missing = cur.read(source, "a.csv.gz", summary)
        cur.add(summary, table, used, tags, missing, SCOPE)
    assert _costs(summary) == {(ROOT, "i-1", date(2025, 3, 1)): Decimal("1.0")}
    assert summary.items_read == 2


def test_no_files_give_an_empty_total():
    assert cur.totals(cur.Summary()).num_rows == 0


@pytest.mark.parametrize("product, resource, kind", [
    ("AmazonEC2", "i-0abc", "instance"), ("AmazonEC2", "vol-1", "volume"), ("AmazonEC2", "snap-1", "snapshot"),
    ("AmazonEC2", "eipalloc-1", "ip_address"), ("AmazonS3", "logs", "bucket"), ("AmazonRDS", "db-1", "rds"),
    ("AWSLambda", "arn:aws:lambda:x", "lambda"), ("", "thing", "other"),
])
def test_resource_type_follows_the_id_then_the_product(product, resource, kind):
    assert cur.resource_type(product, resource) == kind
