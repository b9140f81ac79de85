"""Cross-account sharing of a private hub through AWS RAM resource shares.

A RAM share carries one managed permission per resource type, so the hub has at
most one share per permission (Read, ReadAndUse, FullAccess). Sharing accounts
with a permission adds them to that share (creating it if needed) and removes
them from the hub's shares with another permission, so each account ends up with
exactly the permission asked for.
"""

from __future__ import annotations

from typing import Any

from ..aws.errors import aws_errors
from ..aws.session import AwsContext
from .models import Permission, Share, SharePrincipal

# AWS managed RAM permissions for SageMaker hubs (docs: jumpstart-curated-hubs-ram).
PERMISSION_NAMES: dict[str, str] = {
    "Read": "AWSRAMPermissionSageMakerHubRead",
    "ReadAndUse": "AWSRAMPermissionSageMakerHubReadAndUse",
    "FullAccess": "AWSRAMPermissionSageMakerHubFullAccessPolicy",
}
LIVE_ASSOCIATIONS = {"ASSOCIATING", "ASSOCIATED"}
GONE_SHARES = {"DELETING", "DELETED"}


def permission_arn(permission: str, partition: str = "aws") -> str:
    return f"arn:{partition}:ram::aws:permission/{PERMISSION_NAMES[permission]}"


def permission_of(arns: list[str]) -> Permission | None:
    """Our name for a share's managed permission (None for a permission we did not create)."""
    names = {arn.rsplit("/", 1)[-1]: arn for arn in arns}
    for permission, name in PERMISSION_NAMES.items():
        if name in names:
            return permission  # type: ignore[return-value]
    return None


def share_name(hub: str, permission: str) -> str:
    return f"jumpstart-lab-{hub}-{permission}"


class HubSharing:
    """RAM calls for one hub ARN."""

    def __init__(self, aws: AwsContext) -> None:
        self.aws = aws

    @property
    def _ram(self) -> Any:
        return self.aws.client("ram")

    def _paged(self, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
        with aws_errors(f"RAM {operation}"):
            pages = self._ram.get_paginator(operation).paginate(**kwargs)
            return [item for page in pages for item in page.get(key, [])]

    def _share_arns(self, hub_arn: str) -> list[str]:
        """ARNs of the caller's shares that currently contain the hub."""
        associations = self._paged(
            "get_resource_share_associations",
            "resourceShareAssociations",
            associationType="RESOURCE",
            resourceArn=hub_arn,
        )
        arns = [a["resourceShareArn"] for a in associations if a.get("status") in LIVE_ASSOCIATIONS]
        return list(dict.fromkeys(arns))

    def _permission_arns(self, share_arn: str) -> list[str]:
        arns: list[str] = []
        token: str | None = None
        while True:
            with aws_errors("RAM ListResourceSharePermissions"):
                page = self._ram.list_resource_share_permissions(
                    resourceShareArn=share_arn, **({"nextToken": token} if token else {})
                )
            arns += [p["arn"] for p in page.get("permissions", [])]
            token = page.get("nextToken")
            if not token:
                return arns

    def _principals(self, share_arn: str) -> list[SharePrincipal]:
        associations = self._paged(
            "get_resource_share_associations",
            "resourceShareAssociations",
            associationType="PRINCIPAL",
            resourceShareArns=[share_arn],
        )
        return [
            SharePrincipal(
                principal=a["associatedEntity"], status=a.get("status", "UNKNOWN"), external=a.get("external")
            )
            for a in associations
            if a.get("status") != "DISASSOCIATED"
        ]

    def shares(self, hub_arn: str) -> list[Share]:
        """The live shares containing the hub, with their permission and principals."""
        arns = self._share_arns(hub_arn)
        if not arns:
            return []
        found = self._paged("get_resource_shares", "resourceShares", resourceOwner="SELF", resourceShareArns=arns)
        result = []
        for share in found:
            if share["resourceShareArn"] not in arns or share.get("status") in GONE_SHARES:
                continue
            permission_arns = self._permission_arns(share["resourceShareArn"])
            result.append(
                Share(
                    arn=share["resourceShareArn"],
                    name=share.get("name", ""),
                    status=share.get("status", "UNKNOWN"),
                    permission=permission_of(permission_arns),
                    permission_arns=permission_arns,
                    principals=self._principals(share["resourceShareArn"]),
                )
            )
        return sorted(result, key=lambda s: s.name)

    def share(self, hub: str, hub_arn: str, accounts: list[str], permission: Permission) -> None:
        """Give ``accounts`` exactly ``permission`` on the hub (create or update the share)."""
        partition = hub_arn.split(":", 2)[1]
        current = self.shares(hub_arn)
        target = next((s for s in current if s.permission == permission and s.status == "ACTIVE"), None)
        with aws_errors("RAM"):
            for other in current:
                if other is target:
                    continue
                moving = [p.principal for p in other.principals if p.principal in accounts]
                if moving:
                    self._ram.disassociate_resource_share(resourceShareArn=other.arn, principals=moving)
            if target is None:
                self._ram.create_resource_share(
                    name=share_name(hub, permission),
                    resourceArns=[hub_arn],
                    principals=accounts,
                    permissionArns=[permission_arn(permission, partition)],
                    allowExternalPrincipals=True,
                    tags=[{"key": "jumpstart-lab:hub", "value": hub}],
                )
                return
            present = {p.principal for p in target.principals}
            missing = [a for a in accounts if a not in present]
            if missing:
                self._ram.associate_resource_share(resourceShareArn=target.arn, principals=missing)

    def unshare_account(self, hub_arn: str, account: str) -> bool:
        """Take ``account`` out of every share of the hub; False when it was in none."""
        found = False
        for share in self.shares(hub_arn):
            if any(p.principal == account for p in share.principals):
                with aws_errors("RAM"):
                    self._ram.disassociate_resource_share(resourceShareArn=share.arn, principals=[account])
                found = True
        return found

    def unshare_hub(self, hub_arn: str, touched: list[str] | None = None) -> list[str]:
        """Take the hub out of every share (deleting shares left empty); the share ARNs touched, each
        appended to ``touched`` as it goes (what was done also when a later share fails)."""
        touched = [] if touched is None else touched
        for share_arn in self._share_arns(hub_arn):
            resources = self._paged(
                "get_resource_share_associations",
                "resourceShareAssociations",
                associationType="RESOURCE",
                resourceShareArns=[share_arn],
            )
            others = [r for r in resources if r["associatedEntity"] != hub_arn and r.get("status") in LIVE_ASSOCIATIONS]
            with aws_errors("RAM"):
                if others:
                    self._ram.disassociate_resource_share(resourceShareArn=share_arn, resourceArns=[hub_arn])
                else:
                    self._ram.delete_resource_share(resourceShareArn=share_arn)
            touched.append(share_arn)
        return touched
