"""The SageMaker execution role deployments run under: configured, the local demo role, or the caller's own role."""

from __future__ import annotations

import re

from ..aws.session import AwsContext
from ..errors import JumpStartLabError, ServiceUnavailable
from .errors import deployment_errors

LOCAL_ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerRole"
ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}")
ASSUMED_ROLE = re.compile(r"arn:aws[a-z-]*:sts::(\d{12}):assumed-role/([\w+=,.@-]+)/.+")
ROLE_HELP = (
    "No SageMaker execution role is configured. Start JupyterLab with "
    "--JumpStartLab.execution_role_arn=arn:aws:iam::<account>:role/<role> (a role that trusts "
    "sagemaker.amazonaws.com), or run it under such a role (SageMaker Studio does)."
)


class ExecutionRole:
    """Resolves the role once (``JumpStartLab.execution_role_arn``, else the demo role, else the caller's)."""

    def __init__(self, aws: AwsContext, configured: str | None = None) -> None:
        self.aws = aws
        self._arn = configured

    def arn(self) -> str:
        """The role's ARN; ``ServiceUnavailable`` (``ExecutionRoleNotConfigured``) saying how to configure one."""
        if self._arn:
            if not ROLE_ARN.fullmatch(self._arn):
                raise ServiceUnavailable(
                    f"The configured execution role {self._arn!r} is not an IAM role ARN. {ROLE_HELP}",
                    code="ExecutionRoleNotConfigured",
                )
            return self._arn
        if self.aws.settings.local:
            return LOCAL_ROLE_ARN
        with deployment_errors("Finding the execution role"):
            arn = self.aws.client("sts").get_caller_identity()["Arn"]
        match = ASSUMED_ROLE.fullmatch(arn)
        if match is None:
            raise ServiceUnavailable(ROLE_HELP, code="ExecutionRoleNotConfigured")
        try:
            with deployment_errors("Finding the execution role"):
                role = self.aws.client("iam").get_role(RoleName=match[2])["Role"]["Arn"]
        except JumpStartLabError as exc:
            raise ServiceUnavailable(f"{ROLE_HELP} ({exc.message})", code="ExecutionRoleNotConfigured") from exc
        self._arn = role
        return role
