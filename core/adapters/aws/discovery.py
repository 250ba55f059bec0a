"""Resource discovery: EC2 instances, EBS volumes, snapshots and Elastic IPs per region, S3 buckets once."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from core.adapters.aws.session import HOME_REGION, AwsSession, off_loop, pages, request
from core.adapters.base import DiscoveredResource
from core.errors import CoreError

log = logging.getLogger(__name__)

_GONE_STATES = {"terminated", "shutting-down"}


def enabled_regions(session: AwsSession) -> list[str]:
    """The configured regions, else every region enabled for the account."""
    if session.config.regions:
        return list(session.config.regions)
    answer = request(session.client("ec2"), "describe_regions",
                     Filters=[{"Name": "opt-in-status", "Values": ["opt-in-not-required", "opted-in"]}])
    return sorted(r["RegionName"] for r in answer["Regions"])


async def discover(session: AwsSession) -> tuple[list[DiscoveredResource], dict[str, str]]:
    """Everything in every enabled region, regions side by side in worker threads, and the regions skipped
    because they refused (an organization policy denying one region, a region the keys cannot use, an
    outage there): region -> the reason.

    Raises: the first region's CoreError when every region refuses; the CoreError of listing S3 buckets.
    """
    regions = await off_loop(enabled_regions, session)
    *per_region, buckets = await asyncio.gather(*(_region_or_refusal(session, region) for region in regions),
                                                off_loop(_buckets, session))
    refused = {region: batch for region, batch in zip(regions, per_region) if isinstance(batch, CoreError)}
    if regions and len(refused) == len(regions):
        raise refused[regions[0]]
    for region, error in refused.items():
        log.warning("AWS discovery skipped region %s: %s", region, error)
    found = [resource for batch in per_region if not isinstance(batch, CoreError) for resource in batch]
    return found + buckets, {region: str(error) for region, error in refused.items()}


async def _region_or_refusal(session: AwsSession, region: str) -> list[DiscoveredResource] | CoreError:
    try:
        return await off_loop(_region, session, region)
    except CoreError as error:
        return error


def _region(session: AwsSession, region: str) -> list[DiscoveredResource]:
    ec2 = session.client("ec2", region)
    found = [_instance(i, region) for page in pages(ec2, "describe_instances")
             for reservation in page["Reservations"] for i in reservation["Instances"]]
    found += [_volume(v, region) for page in pages(ec2, "describe_volumes") for v in page["Volumes"]]
    found += [_snapshot(s, region) for page in pages(ec2, "describe_snapshots", OwnerIds=["self"])
              for s in page["Snapshots"]]
    found += [_address(a, region) for a in request(ec2, "describe_addresses")["Addresses"]]
    return found


def _tags(raw: list[dict] | None) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for t in raw or []}


def _named(resource_id: str, tags: dict[str, str]) -> str:
    return tags.get("Name") or resource_id


def _instance(raw: dict, region: str) -> DiscoveredResource:
    tags, state = _tags(raw.get("Tags")), raw["State"]["Name"]
    return DiscoveredResource(
        cloud_resource_id=raw["InstanceId"], name=_named(raw["InstanceId"], tags), resource_type="instance",
        region=region, tags=tags, active=state not in _GONE_STATES,
        details={"state": state, "instance_type": raw.get("InstanceType", ""),
                 "launch_time": _iso(raw.get("LaunchTime")), "spot": raw.get("InstanceLifecycle") == "spot"})


def _volume(raw: dict, region: str) -> DiscoveredResource:
    tags = _tags(raw.get("Tags"))
    attached_to = [a["InstanceId"] for a in raw.get("Attachments", []) if a.get("State") in ("attached", "attaching")]
    return DiscoveredResource(
        cloud_resource_id=raw["VolumeId"], name=_named(raw["VolumeId"], tags), resource_type="volume",
        region=region, tags=tags,
        details={"attached": bool(attached_to), "instance_ids": attached_to, "size_gib": raw.get("Size"),
                 "volume_type": raw.get("VolumeType", ""), "created": _iso(raw.get("CreateTime"))})


def _snapshot(raw: dict, region: str) -> DiscoveredResource:
    tags = _tags(raw.get("Tags"))
    return DiscoveredResource(
        cloud_resource_id=raw["SnapshotId"], name=_named(raw["SnapshotId"], tags), resource_type="snapshot",
        region=region, tags=tags,
        details={"volume_id": raw.get("VolumeId", ""), "size_gib": raw.get("VolumeSize"),
                 "created": _iso(raw.get("StartTime"))})


def _address(raw: dict, region: str) -> DiscoveredResource:
    tags = _tags(raw.get("Tags"))
    resource_id = raw.get("AllocationId") or raw["PublicIp"]
    return DiscoveredResource(
        cloud_resource_id=resource_id, name=_named(raw.get("PublicIp", resource_id), tags),
        resource_type="ip_address", region=region, tags=tags,
        details={"public_ip": raw.get("PublicIp", ""), "attached": bool(raw.get("AssociationId")),
                 "instance_id": raw.get("InstanceId", "")})


def _buckets(session: AwsSession) -> list[DiscoveredResource]:
    s3 = session.client("s3")
    return [_bucket(s3, raw) for raw in request(s3, "list_buckets")["Buckets"]]


def _bucket(s3: Any, raw: dict) -> DiscoveredResource:
    name = raw["Name"]
    location = request(s3, "get_bucket_location", Bucket=name).get("LocationConstraint")
    tagging = request(s3, "get_bucket_tagging", Bucket=name, tolerate=("NoSuchTagSet",))
    tags = _tags(tagging.get("TagSet"))
    return DiscoveredResource(cloud_resource_id=name, name=name, resource_type="bucket",
                              region=location or HOME_REGION, tags=tags,
                              details={"created": _iso(raw.get("CreationDate"))})


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""
