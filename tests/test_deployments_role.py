"""The execution role: configured, the local demo role, the caller's own role, or a clear error."""

from __future__ import annotations

import pytest

from jumpstart_lab.aws.session import AwsContext, AwsSettings
from jumpstart_lab.deployments.role import LOCAL_ROLE_ARN
from jumpstart_lab.deployments.service import DeploymentService
from jumpstart_lab.errors import ServiceUnavailable
from jumpstart_lab.server.errors import status_for


@pytest.fixture
def aws_mode(local_service, monkeypatch) -> AwsContext:
    """AWS mode (no demo credentials) pointed at the local service; its caller is an IAM user, not a role."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEUSER00001")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return AwsContext(AwsSettings(region="us-west-2", endpoint_url=local_service, local=False, max_attempts=1))


def test_local_mode_uses_the_seeded_demo_role(local_service):
    aws = AwsContext(AwsSettings(endpoint_url=local_service, local=True))
    assert DeploymentService(aws, None, None).execution_role() == LOCAL_ROLE_ARN


def test_configured_role_wins(aws_mode):
    role = "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole"
    assert DeploymentService(aws_mode, None, None, role_arn=role).execution_role() == role


def test_aws_mode_without_a_role_says_how_to_configure_one(aws_mode):
    with pytest.raises(ServiceUnavailable) as err:
        DeploymentService(aws_mode, None, None).execution_role()
    assert err.value.code == "ExecutionRoleNotConfigured"
    assert "--JumpStartLab.execution_role_arn" in err.value.message
    assert status_for(err.value) == 503


def test_malformed_configured_role_is_refused(aws_mode):
    with pytest.raises(ServiceUnavailable) as err:
        DeploymentService(aws_mode, None, None, role_arn="SageMakerRole").execution_role()
    assert err.value.code == "ExecutionRoleNotConfigured"
    assert "not an IAM role ARN" in err.value.message


def test_aws_mode_under_a_role_uses_that_role(aws_mode, boto, monkeypatch):
    """Like SageMaker Studio: the server runs under an assumed role, which becomes the execution role."""
    creds = boto("sts").assume_role(RoleArn=LOCAL_ROLE_ARN, RoleSessionName="studio")["Credentials"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", creds["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", creds["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", creds["SessionToken"])
    aws = AwsContext(aws_mode.settings)
    assert DeploymentService(aws, None, None).execution_role() == LOCAL_ROLE_ARN
