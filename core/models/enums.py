"""Closed vocabularies of the domain, stored as strings."""

from enum import Enum


class Role(str, Enum):
    ORG_MANAGER = "org_manager"
    POOL_MANAGER = "pool_manager"
    ENGINEER = "engineer"


class DataSourceKind(str, Enum):
    AWS_ROOT = "aws_root"
    AWS_LINKED = "aws_linked"
    AZURE_SUBSCRIPTION = "azure_subscription"
    AZURE_TENANT = "azure_tenant"
    GCP = "gcp"
    ALIBABA = "alibaba"
    KUBERNETES = "kubernetes"
    MANUAL = "manual"


class ConstraintKind(str, Enum):
    TTL = "ttl"
    DAILY_EXPENSE_LIMIT = "daily_expense_limit"
    TOTAL_EXPENSE_LIMIT = "total_expense_limit"


class ScheduleMode(str, Enum):
    START_AND_STOP = "start_and_stop"
    STOP_ONLY = "stop_only"
    START_ONLY = "start_only"


class OverrideKind(str, Enum):
    KEEP_RUNNING_UNTIL = "keep_running_until"
    SKIP_STOP = "skip_stop"


class AlertBasis(str, Enum):
    COST = "cost"
    FORECAST = "forecast"
    CONSTRAINT = "constraint"
    ENV_CHANGE = "env_change"


class ThresholdType(str, Enum):
    ABSOLUTE = "absolute"
    PERCENTAGE = "percentage"
