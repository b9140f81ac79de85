"""The README's IAM permission table names every AWS call the extension's code makes (and nothing else)."""

from __future__ import annotations

import re
from pathlib import Path

import botocore.session
from botocore import xform_name

REPO = Path(__file__).resolve().parents[1]
SERVICES = ("sagemaker", "sagemaker-runtime", "s3", "ram", "iam", "sts", "logs", "pricing", "service-quotas")
IAM_PREFIX = {"sagemaker-runtime": "sagemaker", "service-quotas": "servicequotas"}
# Our own methods that share a name with an AWS operation (none today: Catalog.search shares its name with
# sagemaker:Search, which browse/reader.py really calls).
NOT_AWS: set[str] = set()
# Permissions that are not calls of their own: tags given on Create* calls, the role handed to SageMaker.
IMPLIED = {"sagemaker:AddTags", "iam:PassRole"}


def calls_in_code() -> set[str]:
    """``service:Operation`` for every botocore operation called (``.<snake_name>``) or paginated
    (``"<snake_name>"``) outside local/."""
    source = "\n".join(
        p.read_text()
        for p in (REPO / "jumpstart_lab").rglob("*.py")
        if "local" not in p.relative_to(REPO / "jumpstart_lab").parts[:1]
    )
    session = botocore.session.get_session()
    found = set()
    for service in SERVICES:
        for op in session.get_service_model(service).operation_names:
            if re.search(rf"[.\"]{xform_name(op)}\b", source):
                found.add(f"{IAM_PREFIX.get(service, service)}:{op}")
    return found - NOT_AWS


def documented() -> set[str]:
    """The actions of the README's IAM table (``svc:Action``; a bare ``Action`` takes the previous prefix)."""
    readme = (REPO / "README.md").read_text()
    table = readme[readme.index("IAM permissions the extension uses") : readme.index("## Configuration")]
    actions, prefix = set(), ""
    for token in re.findall(r"`([a-z0-9-]+:)?([A-Z][A-Za-z]+)`", table):
        prefix = token[0] or prefix
        actions.add(f"{prefix}{token[1]}")
    return actions


def test_readme_iam_table_matches_the_code() -> None:
    code, readme = calls_in_code(), documented()
    assert len(code) > 30  # the scan works: browse, deploy, EULA and curation calls are all found
    assert code - readme == set(), "AWS calls missing from the README's IAM table"
    assert readme - code - IMPLIED == set(), "README lists IAM actions the code never calls"
