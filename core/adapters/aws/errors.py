"""botocore exceptions -> core errors; nothing above the adapter sees an SDK type."""

from __future__ import annotations

import re

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, PartialCredentialsError

from core.adapters.base import CloudUnavailable
from core.errors import CoreError, InvalidInput, NotFound

CLOUD = "AWS"
_BAD_KEYS = {"InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException", "AuthFailure",
             "InvalidAccessKeyId", "ExpiredToken", "ExpiredTokenException", "InvalidToken", "IncompleteSignature"}
_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
           "UnauthorizedAccess", "Forbidden"}
_BUSY = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "SlowDown", "ServiceUnavailable",
         "InternalError", "InternalFailure", "RequestTimeout", "Unavailable"}
# IAM actions whose names differ from the API operation that needs them
_IAM_ACTION = {"ListObjectsV2": "s3:ListBucket", "ListObjects": "s3:ListBucket", "HeadObject": "s3:GetObject",
               "ListBuckets": "s3:ListAllMyBuckets", "HeadBucket": "s3:ListBucket"}
_IAM_PREFIX = {"monitoring": "cloudwatch"}
_PERFORM = re.compile(r"perform: ([a-z0-9-]+:[A-Za-z0-9]+)")


def translate(exc: BotoCoreError | ClientError, *, service: str, operation: str, bucket: str = "") -> CoreError:
    """The core error for an SDK failure of one call (service is boto3's name, operation the API name)."""
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return InvalidInput("cloud_credentials_invalid", cloud=CLOUD, reason="no access key and secret were given")
    if isinstance(exc, ClientError):
        return _client_error(exc, service, operation, bucket)
    return CloudUnavailable("cloud_unavailable", cloud=CLOUD, reason=str(exc))


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def permission(exc: ClientError, service: str, operation: str) -> str:
    """The IAM action a denied call needed: named in the message when AWS says, else derived from the call."""
    found = _PERFORM.search(str(exc.response.get("Error", {}).get("Message", "")))
    if found:
        return found.group(1).replace("monitoring:", "cloudwatch:")
    return _IAM_ACTION.get(operation) or f"{_IAM_PREFIX.get(service, service)}:{operation}"


def _client_error(exc: ClientError, service: str, operation: str, bucket: str) -> CoreError:
    code = error_code(exc)
    message = str(exc.response.get("Error", {}).get("Message", "")) or code
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    if code in _BAD_KEYS:
        return InvalidInput("cloud_credentials_invalid", cloud=CLOUD, reason=message)
    if code in _DENIED or (status == 403 and "not authorized" in message):
        return InvalidInput("cloud_permission_missing", cloud=CLOUD, permission=permission(exc, service, operation))
    if code == "NoSuchBucket" or (service == "s3" and code == "404" and operation == "HeadBucket"):
        return NotFound("cloud_bucket_not_found", bucket=bucket)
    if code in _BUSY or status >= 500:
        return CloudUnavailable("cloud_unavailable", cloud=CLOUD, reason=message)
    return InvalidInput("cloud_request_refused", cloud=CLOUD, action=f"{service}:{operation}", reason=message)
