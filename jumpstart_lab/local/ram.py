"""AWS RAM resource shares of SageMaker hubs, as the local service answers them.

moto 5.2.5 cannot share a SageMaker hub (MalformedArnException) and lacks several calls, so the layer
answers the RAM operations the product uses: CreateResourceShare, GetResourceShares,
GetResourceShareAssociations, AssociateResourceShare, DisassociateResourceShare, DeleteResourceShare,
ListResourceSharePermissions and ListResources. Hubs shared *with* the caller (``PartnerHub``) come from
the hub store. Associations take effect at once (``ASSOCIATED``).
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .errors import AwsError
from .seed import ram_resources
from .settings import ACCOUNT
from .store import HubStore

HANDLED = (
    "CreateResourceShare",
    "GetResourceShares",
    "GetResourceShareAssociations",
    "AssociateResourceShare",
    "DisassociateResourceShare",
    "DeleteResourceShare",
    "ListResourceSharePermissions",
    "ListResources",
)
HUB_PERMISSIONS = (
    "AWSRAMPermissionSageMakerHubRead",
    "AWSRAMPermissionSageMakerHubReadAndUse",
    "AWSRAMPermissionSageMakerHubFullAccessPolicy",
)
LIVE = ("ASSOCIATING", "ASSOCIATED")


@cache
def operations_by_path() -> dict[str, str]:
    """``/createresourceshare`` -> ``CreateResourceShare`` (from botocore's RAM model)."""
    from .constraints import service_model

    model = service_model("ram")
    return {model.operation_model(op).http["requestUri"].lower(): op for op in model.operation_names}


def _invalid(message: str) -> AwsError:
    return AwsError("InvalidParameterException", message)


def _unknown(message: str) -> AwsError:
    return AwsError("UnknownResourceException", message)


@dataclass
class Association:
    share: Share
    entity: str
    kind: str  # PRINCIPAL | RESOURCE
    status: str = "ASSOCIATED"
    created: float = field(default_factory=time.time)
    modified: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "resourceShareArn": self.share.arn,
            "resourceShareName": self.share.name,
            "associatedEntity": self.entity,
            "associationType": self.kind,
            "status": self.status,
            "creationTime": self.created,
            "lastUpdatedTime": self.modified,
        }
        if self.kind == "PRINCIPAL":
            out["external"] = True
        return out


@dataclass
class Share:
    arn: str
    name: str
    region: str
    allow_external: bool
    permissions: list[str]
    tags: list[dict[str, str]]
    status: str = "ACTIVE"
    created: float = field(default_factory=time.time)
    modified: float = field(default_factory=time.time)
    associations: list[Association] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "resourceShareArn": self.arn,
            "name": self.name,
            "owningAccountId": ACCOUNT,
            "allowExternalPrincipals": self.allow_external,
            "status": self.status,
            "tags": self.tags,
            "creationTime": self.created,
            "lastUpdatedTime": self.modified,
            "featureSet": "STANDARD",
        }

    def live(self, kind: str) -> list[Association]:
        return [a for a in self.associations if a.kind == kind and a.status in LIVE]


class Ram:
    """The caller's resource shares (in memory), checked against the hub store."""

    def __init__(self, hubs: HubStore) -> None:
        self.hubs = hubs
        self.lock = threading.Lock()
        self.shares: dict[str, Share] = {}

    def reset(self) -> None:
        with self.lock:
            self.shares.clear()

    def handle(self, region: str, action: str, params: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        handler = getattr(self, "_" + "".join("_" + c.lower() if c.isupper() else c for c in action).lstrip("_"))
        with self.lock:
            return handler(region, {**params, **query})

    # --- helpers -------------------------------------------------------------------------------

    def _share(self, arn: Any) -> Share:
        share = self.shares.get(arn) if isinstance(arn, str) else None
        if share is None or share.status == "DELETED":
            raise _unknown(f"ResourceShare {arn} could not be found.")
        return share

    def _check_resources(self, region: str, arns: Any) -> list[str]:
        if not isinstance(arns, list):
            raise _invalid("resourceArns must be a list.")
        for arn in arns:
            if not isinstance(arn, str) or ":hub/" not in arn or not arn.startswith("arn:"):
                raise AwsError("MalformedArnException", f"The format of ARN {arn} is not valid.")
            try:
                hub = self.hubs.get(region, arn)
            except AwsError:
                raise _unknown(f"Resource {arn} could not be found.") from None
            if hub.account != ACCOUNT:
                raise AwsError("OperationNotPermittedException", f"You can share only resources you own: {arn}.")
        return list(arns)

    @staticmethod
    def _check_principals(principals: Any) -> list[str]:
        if not isinstance(principals, list):
            raise _invalid("principals must be a list.")
        for p in principals:
            if not isinstance(p, str) or not ((p.isdigit() and len(p) == 12) or p.startswith("arn:")):
                raise _invalid(f"Principal {p} is not a valid AWS account ID or ARN.")
        return list(principals)

    def _associate(self, share: Share, kind: str, entities: list[str]) -> list[Association]:
        out = []
        for entity in entities:
            current = next((a for a in share.live(kind) if a.entity == entity), None)
            if current is None:
                current = Association(share, entity, kind)
                share.associations.append(current)
            out.append(current)
        share.modified = time.time()
        return out

    def _disassociate(self, share: Share, kind: str, entities: list[str]) -> list[Association]:
        out = []
        for a in share.live(kind):
            if a.entity in entities:
                a.status, a.modified = "DISASSOCIATED", time.time()
                out.append(a)
        share.modified = time.time()
        return out

    @staticmethod
    def _page(items: list[Any], params: dict[str, Any], key: str) -> dict[str, Any]:
        size = params.get("maxResults") or 500
        start = 0
        if params.get("nextToken"):
            try:
                start = int(json.loads(base64.urlsafe_b64decode(params["nextToken"].encode()))["o"])
            except (ValueError, KeyError, TypeError, binascii.Error):
                raise AwsError("InvalidNextTokenException", "The nextToken is not valid.") from None
        reply: dict[str, Any] = {key: items[start : start + size]}
        if start + size < len(items):
            reply["nextToken"] = base64.urlsafe_b64encode(json.dumps({"o": start + size}).encode()).decode()
        return reply

    # --- operations ----------------------------------------------------------------------------

    def _create_resource_share(self, region: str, p: dict[str, Any]) -> dict[str, Any]:
        name = p.get("name")
        if not isinstance(name, str) or not name:
            raise _invalid("name is required.")
        resources = self._check_resources(region, p.get("resourceArns") or [])
        principals = self._check_principals(p.get("principals") or [])
        permissions = p.get("permissionArns") or [f"arn:aws:ram::aws:permission/{HUB_PERMISSIONS[0]}"]
        for arn in permissions:
            if not isinstance(arn, str) or arn.rsplit("/", 1)[-1] not in HUB_PERMISSIONS:
                raise _unknown(f"Permission {arn} could not be found.")
        share = Share(
            arn=f"arn:aws:ram:{region}:{ACCOUNT}:resource-share/{uuid.uuid4()}",
            name=name,
            region=region,
            allow_external=p.get("allowExternalPrincipals", True) is not False,
            permissions=list(permissions),
            tags=list(p.get("tags") or []),
        )
        self.shares[share.arn] = share
        self._associate(share, "RESOURCE", resources)
        self._associate(share, "PRINCIPAL", principals)
        return {"resourceShare": share.to_dict(), "clientToken": p.get("clientToken") or str(uuid.uuid4())}

    def _get_resource_shares(self, region: str, p: dict[str, Any]) -> dict[str, Any]:
        owner = p.get("resourceOwner")
        if owner not in ("SELF", "OTHER-ACCOUNTS"):
            raise _invalid("resourceOwner must be SELF or OTHER-ACCOUNTS.")
        if owner == "OTHER-ACCOUNTS":
            found = [
                {
                    "resourceShareArn": r["resourceShareArn"],
                    "name": r["resourceShareArn"].rsplit("/", 1)[-1],
                    "owningAccountId": r["arn"].split(":")[4],
                    "allowExternalPrincipals": True,
                    "status": "ACTIVE",
                    "creationTime": r["creationTime"],
                    "lastUpdatedTime": r["lastUpdatedTime"],
                    "featureSet": "STANDARD",
                }
                for r in ram_resources(self.hubs, region)
            ]
        else:
            found = [s.to_dict() for s in self.shares.values() if s.region == region and s.status != "DELETED"]
        if p.get("resourceShareArns"):
            found = [s for s in found if s["resourceShareArn"] in p["resourceShareArns"]]
        if p.get("name"):
            found = [s for s in found if s["name"] == p["name"]]
        if p.get("resourceShareStatus"):
            found = [s for s in found if s["status"] == p["resourceShareStatus"]]
        return self._page(found, p, "resourceShares")

    def _get_resource_share_associations(self, region: str, p: dict[str, Any]) -> dict[str, Any]:
        kind = p.get("associationType")
        if kind not in ("PRINCIPAL", "RESOURCE"):
            raise _invalid("associationType must be PRINCIPAL or RESOURCE.")
        if (kind == "PRINCIPAL" and p.get("resourceArn")) or (kind == "RESOURCE" and p.get("principal")):
            raise _invalid("resourceArn goes with RESOURCE associations, principal with PRINCIPAL associations.")
        items = [a for s in self.shares.values() if s.region == region for a in s.associations if a.kind == kind]
        if p.get("resourceShareArns"):
            items = [a for a in items if a.share.arn in p["resourceShareArns"]]
        entity = p.get("resourceArn") or p.get("principal")
        if entity:
            items = [a for a in items if a.entity == entity]
        if p.get("associationStatus"):
            items = [a for a in items if a.status == p["associationStatus"]]
        return self._page([a.to_dict() for a in items], p, "resourceShareAssociations")

    def _associate_resource_share(self, region: str, p: dict[str, Any]) -> dict[str, Any]:
        share = self._share(p.get("resourceShareArn"))
        out = self._associate(share, "RESOURCE", self._check_resources(region, p.get("resourceArns") or []))
        out += self._associate(share, "PRINCIPAL", self._check_principals(p.get("principals") or []))
        return {"resourceShareAssociations": [a.to_dict() for a in out], "clientToken": p.get("clientToken", "")}

    def _disassociate_resource_share(self, region: str, p: dict[str, Any]) -> dict[str, Any]:
        share = self._share(p.get("resourceShareArn"))
        out = self._disassociate(share, "RESOURCE", list(p.get("resourceArns") or []))
        out += self._disassociate(share, "PRINCIPAL", list(p.get("principals") or []))
        return {"resourceShareAssociations": [a.to_dict() for a in out], "clientToken": p.get("clientToken", "")}

    def _delete_resource_share(self, region: str, p: dict[str, Any]) -> dict[str, Any]:
        share = self._share(p.get("resourceShareArn"))
        for kind in ("RESOURCE", "PRINCIPAL"):
            self._disassociate(share, kind, [a.entity for a in share.live(kind)])
        share.status, share.modified = "DELETED", time.time()
        return {"returnValue": True, "clientToken": p.get("clientToken", "")}

    def _list_resource_share_permissions(self, region: str, p: dict[str, Any]) -> dict[str, Any]:
        share = self._share(p.get("resourceShareArn"))
        permissions = [
            {
                "arn": arn,
                "version": "1",
                "defaultVersion": True,
                "name": arn.rsplit("/", 1)[-1],
                "resourceType": "sagemaker:Hub",
                "status": "ATTACHABLE",
                "creationTime": share.created,
                "lastUpdatedTime": share.created,
                "isResourceTypeDefault": arn.endswith(HUB_PERMISSIONS[0]),
                "permissionType": "AWS_MANAGED",
                "featureSet": "STANDARD",
            }
            for arn in share.permissions
        ]
        return self._page(permissions, p, "permissions")

    def _list_resources(self, region: str, p: dict[str, Any]) -> dict[str, Any]:
        owner = p.get("resourceOwner")
        if owner not in ("SELF", "OTHER-ACCOUNTS"):
            raise _invalid("resourceOwner must be SELF or OTHER-ACCOUNTS.")
        if owner == "OTHER-ACCOUNTS":
            resources = ram_resources(self.hubs, region)
        else:
            resources = [
                {
                    "arn": a.entity,
                    "type": "sagemaker:Hub",
                    "resourceShareArn": s.arn,
                    "status": "AVAILABLE",
                    "creationTime": a.created,
                    "lastUpdatedTime": a.modified,
                    "resourceRegionScope": "REGIONAL",
                }
                for s in self.shares.values()
                if s.region == region and s.status != "DELETED"
                for a in s.live("RESOURCE")
            ]
        if p.get("resourceType"):
            resources = [r for r in resources if r["type"].lower() == str(p["resourceType"]).lower()]
        if p.get("resourceArns"):
            resources = [r for r in resources if r["arn"] in p["resourceArns"]]
        if p.get("resourceShareArns"):
            resources = [r for r in resources if r["resourceShareArn"] in p["resourceShareArns"]]
        return self._page(resources, p, "resources")
