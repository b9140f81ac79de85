"""AWS failures of a deployment become errors that say what to do (botocore's real error shapes)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from jumpstart_lab.deployments.errors import Context, explain
from jumpstart_lab.errors import AccessDenied, Conflict, ServiceUnavailable, UpstreamError
from jumpstart_lab.server.errors import status_for

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
CTX = Context(instance_type="ml.g5.12xlarge", instance_count=2, role_arn=ROLE, subscription_link="https://mp/x")


def client_error(code: str, message: str, status: int = 400, op: str = "CreateEndpoint") -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}, op
    )


@pytest.mark.parametrize(
    ("code", "message", "cls", "our_code", "status", "hint"),
    [
        (
            "ResourceLimitExceeded",
            "The account-level service limit 'ml.g5.12xlarge for endpoint usage' is 0 Instances",
            UpstreamError,
            "QuotaExceeded",
            400,
            "Service Quotas",
        ),
        (
            "InsufficientCapacity",
            "We currently do not have sufficient capacity for ml.g5.12xlarge",
            ServiceUnavailable,
            "InsufficientCapacity",
            503,
            "another supported instance type",
        ),
        (
            "AccessDeniedException",
            "User: arn:aws:sts::1:assumed-role/x is not authorized to perform: iam:PassRole on resource: " + ROLE,
            AccessDenied,
            "PassRoleDenied",
            403,
            "iam:PassRole",
        ),
        (
            "AccessDeniedException",
            "User is not authorized to perform: sagemaker:CreateEndpoint with an explicit deny in a service "
            "control policy",
            AccessDenied,
            "DeniedByPolicy",
            403,
            "administrator",
        ),
        (
            "ValidationException",
            f"Could not assume role {ROLE}. Please ensure that the role exists and allows principal "
            "'sagemaker.amazonaws.com' to assume the role.",
            UpstreamError,
            "ExecutionRoleInvalid",
            400,
            "execution_role_arn",
        ),
        (
            "ValidationException",
            "Caller is not subscribed to the marketplace listing",
            UpstreamError,
            "MarketplaceSubscriptionRequired",
            400,
            "https://mp/x",
        ),
        (
            "ValidationException",
            "Cannot create already existing endpoint",
            Conflict,
            "EndpointExists",
            409,
            "already existing",
        ),
    ],
)
def test_failures_say_what_to_do(code, message, cls, our_code, status, hint):
    err = explain(client_error(code, message), "Creating the endpoint", CTX)
    assert isinstance(err, cls)
    assert err.code == our_code
    assert status_for(err) == status
    assert hint in err.message
    assert err.message.startswith("Creating the endpoint")
    assert err.to_dict()["aws_code"] == code


def test_other_errors_fall_back_to_generic_translation():
    err = explain(client_error("ThrottlingException", "Rate exceeded"), "Creating the model", CTX)
    assert err.code == "Throttled" and status_for(err) == 503
