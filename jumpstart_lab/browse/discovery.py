"""Which hubs the caller can use: the public hub, the account's hubs, RAM shares, ``extra_hubs``.

Every candidate is probed with DescribeHub (in parallel); a hub the caller cannot use is
reported in ``unavailable`` with the AWS error code and a sentence a person understands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from .. import validation
from ..aws.errors import aws_errors
from ..aws.session import AwsContext
from ..errors import AccessDenied, InvalidInput, JumpStartLabError, NotFound
from .models import Hub, HubList, UnavailableHub

log = logging.getLogger(__name__)

PUBLIC = validation.PUBLIC_HUB
FATAL = {"NoCredentials", "NoRegion"}
KIND_ORDER = {"public": 0, "private": 1, "shared": 2}


@dataclass
class Candidate:
    ref: str  # what to send as HubName: a name (own account, public) or an ARN
    source: str  # public | account | ram | extra


def _pages(call: Any, key: str, page_key: str = "NextToken", **kwargs: Any) -> Iterator[dict[str, Any]]:
    token = None
    while True:
        reply = call(**kwargs, **({page_key: token} if token else {}))
        yield from reply.get(key, [])
        token = reply.get(page_key)
        if not token:
            return


def owner_of(arn: str) -> str:
    match = validation.HUB_ARN.fullmatch(arn)
    return match["account"] if match else ""


def unavailable_message(name: str, source: str, error: JumpStartLabError) -> str:
    """What the panel shows for a hub that cannot be used."""
    if isinstance(error, AccessDenied):
        if name == PUBLIC:
            return "Your role is denied access to the public JumpStart hub; ask your administrator."
        return f"Your role is denied access to hub {name}; ask your administrator."
    if isinstance(error, NotFound):
        where = " (listed in extra_hubs)" if source == "extra" else ""
        return f"Hub {name}{where} does not exist in this region or is not shared with your account."
    if isinstance(error, InvalidInput):
        return f"{name!r} in extra_hubs is not a hub name or hub ARN."
    return f"Hub {name} could not be reached: {error.message}"


class HubDiscovery:
    """Finds and probes the hubs; ``discover()`` is blocking (run it off the event loop)."""

    def __init__(
        self, aws: AwsContext, extra_hubs: tuple[str, ...], probe_pool: Executor, client: Callable[[str], Any]
    ) -> None:
        self.aws = aws
        self.client = client
        self.extra_hubs = extra_hubs
        self.probe_pool = probe_pool
        self.account: str | None = None

    def _account(self) -> str | None:
        try:
            with aws_errors("sts"):
                return self.aws.client("sts", max_attempts=2).get_caller_identity()["Account"]
        except JumpStartLabError as exc:
            if exc.code in FATAL:
                raise
            log.info("jumpstart_lab: caller account unknown: %s", exc.message)
            return None

    def _account_hubs(self) -> list[dict[str, Any]]:
        try:
            with aws_errors("ListHubs"):
                return list(_pages(self.client("sagemaker").list_hubs, "HubSummaries", MaxResults=100))
        except (AccessDenied, NotFound) as exc:
            log.info("jumpstart_lab: ListHubs refused: %s", exc.message)
            return []

    def _shared_hub_arns(self) -> list[str]:
        """Hub ARNs shared with the account through AWS RAM (not visible to ListHubs)."""
        try:
            with aws_errors("ram:ListResources"):
                resources = _pages(
                    self.aws.client("ram", max_attempts=2).list_resources,
                    "resources",
                    page_key="nextToken",
                    resourceOwner="OTHER-ACCOUNTS",
                    resourceType="sagemaker:Hub",
                )
                return [r["arn"] for r in resources if r.get("arn")]
        except JumpStartLabError as exc:
            if exc.code in FATAL:
                raise
            log.info("jumpstart_lab: RAM shares not listed: %s", exc.message)
            return []

    def _probe(self, candidate: Candidate) -> dict[str, Any]:
        with aws_errors(f"hub {validation.hub_name_from(candidate.ref)}"):
            validation.hub_name_or_arn(candidate.ref)
            return self.client("sagemaker").describe_hub(HubName=candidate.ref)

    def discover(self) -> HubList:
        account_f = self.probe_pool.submit(self._account)
        listed_f = self.probe_pool.submit(self._account_hubs)
        shared_f = self.probe_pool.submit(self._shared_hub_arns)
        account = account_f.result()
        self.account = account or self.account
        listed = listed_f.result()
        candidates: dict[str, Candidate] = {PUBLIC: Candidate(PUBLIC, "public")}
        for info in listed:
            name = info["HubName"]
            candidates.setdefault(
                name if owner_of(info.get("HubArn", "")) in (account, "aws", "") else info["HubArn"],
                Candidate(name, "account"),
            )
        for arn in shared_f.result():
            candidates.setdefault(arn, Candidate(arn, "ram"))
        for ref in self.extra_hubs:
            candidates.setdefault(ref, Candidate(ref, "extra"))
        probes = [(c, self.probe_pool.submit(self._probe, c)) for c in candidates.values()]
        hubs: dict[str, Hub] = {}
        unavailable: list[UnavailableHub] = []
        for candidate, future in probes:
            try:
                reply = future.result()
            except JumpStartLabError as exc:
                if exc.code in FATAL:
                    raise
                name = validation.hub_name_from(candidate.ref)
                arn = candidate.ref if candidate.ref.startswith("arn:") else self._guess_arn(name, account)
                code = str(exc.details.get("aws_code") or exc.code)
                unavailable.append(
                    UnavailableHub(
                        name=name, arn=arn, code=code, message=unavailable_message(name, candidate.source, exc)
                    )
                )
                continue
            arn = reply["HubArn"]
            owner = owner_of(arn)
            if reply["HubName"] == PUBLIC and owner in ("aws", ""):
                kind = "public"
            elif (account and owner and owner != account) or (not account and candidate.source in ("ram", "extra")):
                kind = "shared"
            else:
                kind = "private"
            hubs.setdefault(
                arn,
                Hub(
                    name=reply["HubName"],
                    arn=arn,
                    display_name=reply.get("HubDisplayName") or None,
                    description=reply.get("HubDescription") or None,
                    kind=kind,
                    owner_account=owner or (account or ""),
                    status=reply.get("HubStatus", "InService"),
                ),
            )
        ordered = sorted(hubs.values(), key=lambda h: (KIND_ORDER[h.kind], h.name.lower()))
        return HubList(hubs=ordered, unavailable=unavailable)

    def _guess_arn(self, name: str, account: str | None) -> str:
        return validation.hub_arn(name, region=self.aws.region, account=account or "aws")
