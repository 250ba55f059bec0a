"""Cost and Usage Report files -> cost per (account, resource, day), vectorised with pyarrow.

Rows are checked, not trusted: a malformed account, cost or date, a foreign or unknown currency and an
account that is not connected are counted by reason. A file that cannot be read or lacks a required
column fails as a whole (InvalidInput), so an import never half-applies a file.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from core.adapters.aws import columns as col
from core.errors import InvalidInput

COST_TYPE = pa.decimal128(38, 12)
_NUMBER = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"
_ARN_PREFIX = r"^arn:aws[a-z-]*:(?:ec2|s3):[^:]*:[^:]*:(?:[a-z-]+/)?"


@dataclass(frozen=True)
class Scope:
    """Which rows count: usage days (inclusive), connected accounts and the organization's currency."""

    start: date
    end: date
    accounts: frozenset[str]
    currency: str


@dataclass
class Summary:
    """Costs of one or more files: a table (account, resource, day, cost) and facts per resource."""

    costs: list[pa.Table] = field(default_factory=list)
    facts: dict[tuple[str, str], tuple[str, str, dict[str, str]]] = field(default_factory=dict)
    items_read: int = 0
    rejected: Counter = field(default_factory=Counter)
    missing_columns: set[str] = field(default_factory=set)


def read(source: BinaryIO, name: str, summary: Summary) -> tuple[pa.Table, dict[str, str], dict[str, str], list[str]]:
    """The used columns of a parquet or (gzip) CSV file; CSV rows of the wrong width are read and rejected.

    Raises: InvalidInput (billing_file_unreadable, billing_column_missing).
    """
    try:
        if name.endswith(".parquet"):
            parquet = pq.ParquetFile(source)
            used, tags, missing = _checked_plan(parquet.schema_arrow.names, name)
            return parquet.read(columns=list(used.values()) + list(tags)), used, tags, missing
        opened = gzip.open(source) if name.endswith(".gz") else source
        header = next(csv.reader([opened.readline().decode("utf-8-sig")]), [])
        used, tags, missing = _checked_plan(header, name)
        source.seek(0)
        stream = pa.input_stream(source, compression="gzip" if name.endswith(".gz") else None)
        wanted = list(used.values()) + list(tags)
        table = pacsv.read_csv(stream, read_options=pacsv.ReadOptions(block_size=8 << 20),
                               parse_options=pacsv.ParseOptions(invalid_row_handler=lambda row: _skip(summary, row)),
                               convert_options=pacsv.ConvertOptions(
                                   include_columns=wanted, column_types={c: pa.string() for c in wanted}))
        return table, used, tags, missing
    except (pa.ArrowInvalid, OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput("billing_file_unreadable", file=name, reason=str(exc).splitlines()[0][:200]) from None


def _skip(summary: Summary, row) -> str:
    summary.items_read += 1
    summary.rejected[f"malformed row ({row.actual_columns} fields where the header has {row.expected_columns})"] += 1
    return "skip"


def _checked_plan(names: list[str], file: str) -> tuple[dict[str, str], dict[str, str], list[str]]:
    used, tags, missing = col.plan(names)
    absent = next((c for c in col.REQUIRED if c not in used), None)
    if absent:
        raise InvalidInput("billing_column_missing", file=file, column=absent)
    return used, tags, missing


def add(summary: Summary, table: pa.Table, used: dict[str, str], tags: dict[str, str], missing: list[str],
        scope: Scope) -> None:
    """Check the rows of one file against the scope and add their costs to the summary."""
    summary.items_read += table.num_rows
    summary.missing_columns.update(missing)
    if table.num_rows == 0:
        return
    get = lambda name: table.column(used[name]) if name in used else None  # noqa: E731
    account = pc.cast(get(col.ACCOUNT), pa.string())
    cost, cost_ok = _costs(get(col.COST))
    day, day_ok = _days(get(col.START))
    ok = _reject(summary.rejected, pc.fill_null(pc.match_substring_regex(account, r"^\d{12}$"), False),
                 "malformed usage account id", pa.scalar(True))
    ok = _reject(summary.rejected, cost_ok, "malformed unblended cost", ok)
    ok = _reject(summary.rejected, day_ok, "malformed usage start date", ok)
    if col.CURRENCY in used:
        ok = _currency(summary.rejected, pc.cast(get(col.CURRENCY), pa.string()), scope.currency, ok)
    connected = pc.is_in(account, value_set=pa.array(sorted(scope.accounts), pa.string()))
    for name, count in _counts(pc.filter(account, pc.and_(ok, pc.invert(connected)))):
        summary.rejected[f"account {name} is not connected"] += count
    keep = pc.and_(pc.and_(ok, connected),
                   pc.and_(pc.greater_equal(day, pa.scalar(scope.start)), pc.less_equal(day, pa.scalar(scope.end))))
    rows = pa.table({"account": account, "resource": _resource_ids(get(col.RESOURCE), account, get(col.PRODUCT)),
                     "day": day, "cost": cost, "row": pa.array(range(table.num_rows), pa.int64())}).filter(keep)
    summary.costs.append(rows.group_by(["account", "resource", "day"]).aggregate([("cost", "sum")]))
    _facts(summary.facts, rows, table, used, tags)


def _reject(rejected: Counter, valid: pa.Array, reason: str, ok) -> pa.Array:
    """Count rows still ok but not valid under this reason; return the rows still ok."""
    failing = pc.sum(pc.cast(pc.and_(ok, pc.invert(valid)), pa.int64())).as_py() or 0
    if failing:
        rejected[reason] += failing
    return pc.and_(ok, valid)


def _costs(raw: pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    if pa.types.is_string(raw.type) or pa.types.is_large_string(raw.type):
        valid = pc.fill_null(pc.match_substring_regex(raw, _NUMBER), False)
    elif pa.types.is_floating(raw.type):
        valid = pc.fill_null(pc.is_finite(raw), False)
    else:
        valid = pc.is_valid(raw)
    cleaned = pc.if_else(valid, raw, pa.scalar(None, raw.type))
    return pc.cast(cleaned, COST_TYPE, safe=False), valid


def _days(raw: pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    if pa.types.is_timestamp(raw.type) or pa.types.is_date(raw.type):
        day = pc.cast(raw, pa.date32())
        return day, pc.is_valid(day)
    text = pc.utf8_slice_codeunits(pc.cast(raw, pa.string()), 0, 10)
    parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    exact = pc.fill_null(pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), text), False)  # 2024-02-30 parses
    return pc.cast(pc.if_else(exact, parsed, pa.scalar(None, parsed.type)), pa.date32()), exact


def _currency(rejected: Counter, currency: pa.Array, expected: str, ok: pa.Array) -> pa.Array:
    same = pc.fill_null(pc.equal(currency, pa.scalar(expected)), False)
    for code, count in _counts(pc.filter(currency, pc.and_(ok, pc.invert(same)))):
        known = code is not None and len(code) == 3 and code.isalpha() and code.isupper()
        rejected[f"currency {code} is not the organization's {expected}" if known
                 else f"unknown currency code \"{code or ''}\""] += count
    return pc.and_(ok, same)


def _counts(values: pa.Array) -> list[tuple[str | None, int]]:
    counted = pc.value_counts(values)
    return list(zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist()))


def _resource_ids(raw, account: pa.Array, product) -> pa.Array:
    """The resource id, with ec2/s3 ARNs cut to the id; a charge without one goes to '<account>/<product>'."""
    fallback = pc.binary_join_element_wise(
        account, pc.fill_null(pc.cast(product, pa.string()), "unknown") if product is not None else "unknown", "/")
    if raw is None:
        return fallback
    ids = pc.replace_substring_regex(pc.fill_null(pc.cast(raw, pa.string()), ""), pattern=_ARN_PREFIX, replacement="")
    return pc.if_else(pc.equal(ids, ""), fallback, ids)


def _facts(facts: dict, rows: pa.Table, table: pa.Table, used: dict[str, str], tags: dict[str, str]) -> None:
    """Region, product code and tags of each resource not seen before, from its first row."""
    first = rows.group_by(["account", "resource"]).aggregate([("row", "min")])
    keys = list(zip(first.column("account").to_pylist(), first.column("resource").to_pylist()))
    fresh = [i for i, key in enumerate(keys) if key not in facts]
    if not fresh:
        return
    picked = table.take(pc.take(first.column("row_min"), pa.array(fresh)))
    texts = lambda name: (picked.column(used[name]).cast(pa.string()).to_pylist()  # noqa: E731
                          if name in used else [""] * len(fresh))
    regions, products = texts(col.REGIONS[0]), texts(col.PRODUCT)
    tag_maps = _tag_maps(picked, used.get(col.TAGS), tags)
    for n, i in enumerate(fresh):
        facts[keys[i]] = (regions[n] or "", products[n] or "", tag_maps[n])


def _tag_maps(picked: pa.Table, map_column: str | None, tag_columns: dict[str, str]) -> list[dict[str, str]]:
    maps: list[dict[str, str]] = [{} for _ in range(picked.num_rows)]
    if map_column is not None:
        for n, value in enumerate(picked.column(map_column).to_pylist()):
            maps[n].update(_map_tags(value))
    for column, key in tag_columns.items():
        for n, value in enumerate(picked.column(column).to_pylist()):
            if value not in (None, ""):
                maps[n][key] = str(value)
    return maps


def _map_tags(value: object) -> dict[str, str]:
    """CUR 2.0 resource_tags: a parquet map (list of pairs) or a JSON object in CSV; 'user_' is dropped."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError:
            return {}
    pairs = value.items() if isinstance(value, dict) else (value or [])
    return {str(k).removeprefix("user_"): str(v) for k, v in pairs if v not in (None, "")}


def resource_type(product: str, resource_id: str) -> str:
    """The kind of resource a billed id names: instance, volume, snapshot, ip_address, bucket, else the service."""
    for prefix, kind in (("i-", "instance"), ("vol-", "volume"), ("snap-", "snapshot"), ("eipalloc-", "ip_address")):
        if resource_id.startswith(prefix):
            return kind
    if product == "AmazonS3":
        return "bucket"
    service = product.removeprefix("Amazon").removeprefix("AWS").lower()
    return service or "other"


def totals(summary: Summary) -> pa.Table:
    """One row per (account, resource, day) over every file added: columns account, resource, day, cost."""
    if not summary.costs:
        return pa.table({"account": pa.array([], pa.string()), "resource": pa.array([], pa.string()),
                         "day": pa.array([], pa.date32()), "cost": pa.array([], COST_TYPE)})
    merged = pa.concat_tables(summary.costs).group_by(["account", "resource", "day"]).aggregate([("cost_sum", "sum")])
    return pa.table({"account": merged.column("account"), "resource": merged.column("resource"),
                     "day": merged.column("day"), "cost": merged.column("cost_sum_sum")})
