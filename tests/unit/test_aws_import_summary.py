"""The import summary's text and its one-line status, with regions that discovery skipped."""

from decimal import Decimal

from core.services.imports import ImportSummary

DENIED = "The AWS credentials lack the permission ec2:DescribeInstances. Add it to the user's policy and try again."


def _summary(**changes) -> ImportSummary:
    return ImportSummary(data_source="AWS prod", currency="USD", items_read=92, days=2,
                         total_cost=Decimal("35.304"), **changes)


def test_a_clean_import_has_a_short_status_and_no_skipped_section():
    summary = _summary()
    assert summary.status() == "ok: 92 line items, 2 days, 35.30"
    assert "skipped" not in str(summary)


def test_skipped_regions_are_grouped_by_reason_in_the_status_and_listed_in_the_text():
    summary = _summary(skipped_regions={"eu-west-1": DENIED, "ap-south-1": DENIED, "us-west-2": "AWS did not answer"})
    assert summary.status() == (f"ok: 92 line items, 2 days, 35.30; regions skipped: ap-south-1, eu-west-1 ({DENIED})"
                                "; regions skipped: us-west-2 (AWS did not answer)")
    assert str(summary).endswith("Regions skipped (their resources were left as they were):\n"
                                 f"  ap-south-1: {DENIED}\n  eu-west-1: {DENIED}\n  us-west-2: AWS did not answer")


def test_a_long_status_is_cut_to_the_column_size_with_an_ellipsis():
    reasons = {f"region-{n}": f"reason number {n} " * 5 for n in range(6)}
    status = _summary(skipped_regions=reasons).status()
    assert len(status) == 255 and status.endswith("…")
    assert status.startswith("ok: 92 line items, 2 days, 35.30; regions skipped: region-0 (reason number 0")
