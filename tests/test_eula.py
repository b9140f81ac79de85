"""EULA API against the real server and the local service: text from S3, acceptance, audit log, the gate."""

from __future__ import annotations

import csv
import getpass
import hashlib
import io
import json

import pytest
from eula_support import GATED, GATED_PUBLIC, OPEN, eula_path

from jumpstart_lab.errors import EulaNotAccepted
from jumpstart_lab.eula.models import ACTIONS

COMPANY_ARN = "arn:aws:sagemaker:us-west-2:123456789012:hub/CompanyHub"


async def test_gated_model_eula_text_comes_from_s3(api, boto) -> None:
    r = await api("GET", eula_path(*GATED))
    assert r.code == 200, r.body
    info = r.json()
    assert info["required"] is True and info["accepted"] is False and info["accepted_at"] is None
    assert info["uri"].startswith("s3://") and "LICENSE" in info["text"].upper()
    bucket, key = info["uri"][5:].split("/", 1)
    body = boto("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    assert info["sha256"] == hashlib.sha256(body).hexdigest() and info["text"] == body.decode()


async def test_hub_may_be_given_as_an_arn(api, http_server_client, jp_auth_header, jp_base_url) -> None:
    by_name = await api("GET", eula_path(*GATED))
    by_arn = await api("GET", f"hubs/{COMPANY_ARN}/models/{GATED[1]}/eula")  # '/' of the ARN left raw
    assert by_arn.code == 200, by_arn.body
    assert by_arn.json()["sha256"] == by_name.json()["sha256"]
    url = f"{jp_base_url}jumpstart-lab/api/{eula_path(COMPANY_ARN, GATED[1])}"  # fully encoded
    r = await http_server_client.fetch(url, headers=jp_auth_header)
    assert json.loads(r.body)["sha256"] == by_name.json()["sha256"]
    accepted = await api("POST", f"hubs/{COMPANY_ARN}/models/{GATED[1]}/eula", body={"action": "train"})
    assert accepted.code == 201
    assert (await api("GET", eula_path(*GATED))).json()["accepted"] is True


async def test_model_without_eula_is_not_required_and_has_no_text(api) -> None:
    r = await api("GET", eula_path(*OPEN))
    assert r.code == 200 and r.json() == {
        "required": False,
        "uri": None,
        "text": None,
        "sha256": None,
        "accepted": False,
        "accepted_at": None,
        "accepted_by": None,
    }
    r = await api("POST", eula_path(*OPEN), body={"action": "deploy"})
    assert r.code == 400 and r.json()["code"] == "EulaNotRequired"


async def test_accept_records_acceptance_and_audit_log(api) -> None:
    before = (await api("GET", eula_path(*GATED))).json()
    r = await api("POST", eula_path(*GATED), body={"action": "deploy", "version": "4.19.0", "sha256": before["sha256"]})
    assert r.code == 201, r.body
    accepted = r.json()
    assert accepted["accepted"] is True and accepted["sha256"] == before["sha256"] and accepted["accepted_at"]

    after = (await api("GET", eula_path(*GATED), params={"version": "4.19.0"})).json()
    assert after["accepted"] is True and after["accepted_at"] == accepted["accepted_at"]
    assert after["accepted_by"]  # whose acceptance it is
    # another model is still not accepted
    assert (await api("GET", eula_path(*GATED_PUBLIC))).json()["accepted"] is False

    log = (await api("GET", "eula-acceptances")).json()["acceptances"]
    assert len(log) == 1
    row = log[0]
    assert row["hub"] == "CompanyHub" and row["hub_arn"] == COMPANY_ARN
    assert (row["model_id"], row["version"], row["action"]) == (GATED[1], "4.19.0", "deploy")
    assert row["eula_uri"] == before["uri"] and row["sha256"] == before["sha256"]
    # jupyter-server's own token identity is anonymous: the single user is the account running the server
    assert row["username"] == getpass.getuser()

    r = await api("GET", "eula-acceptances", params={"format": "csv"})
    assert r.code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.body.decode())))
    assert len(rows) == 1 and rows[0]["model_id"] == GATED[1] and rows[0]["username"] == row["username"]


async def test_accepting_one_version_does_not_cover_another(api) -> None:
    hub, model = "SageMakerPublicHub", "meta-textgeneration-llama-2-13b-f"
    assert (await api("POST", eula_path(hub, model), body={"action": "notebook", "version": "4.18.0"})).code == 201
    assert (await api("GET", eula_path(hub, model), params={"version": "4.18.0"})).json()["accepted"] is True
    assert (await api("GET", eula_path(hub, model), params={"version": "4.19.0"})).json()["accepted"] is False


async def test_changed_eula_text_needs_a_new_acceptance(api, boto) -> None:
    info = (await api("GET", eula_path(*GATED))).json()
    assert (await api("POST", eula_path(*GATED), body={"action": "deploy"})).code == 201
    bucket, key = info["uri"][5:].split("/", 1)
    s3 = boto("s3")
    original = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=original + b"\nAMENDMENT: new terms.\n")
        changed = (await api("GET", eula_path(*GATED))).json()
        assert changed["accepted"] is False and changed["sha256"] != info["sha256"] and "AMENDMENT" in changed["text"]
        r = await api("POST", "notebooks", body={"hub": GATED[0], "model_id": GATED[1], "action": "deploy"})
        assert r.code == 403 and r.json()["code"] == "EulaNotAccepted" and "changed" in r.json()["message"]
        # accepting with the hash of the old text is refused: the user has not seen the new one
        stale = await api("POST", eula_path(*GATED), body={"action": "deploy", "sha256": info["sha256"]})
        assert stale.code == 409 and stale.json()["code"] == "EulaChanged"
        fresh = await api("POST", eula_path(*GATED), body={"action": "deploy", "sha256": changed["sha256"]})
        assert fresh.code == 201
        assert (await api("GET", eula_path(*GATED))).json()["accepted"] is True
    finally:
        s3.put_object(Bucket=bucket, Key=key, Body=original)
    # the original text is accepted again (its acceptance was recorded first)
    assert (await api("GET", eula_path(*GATED))).json()["accepted"] is True


@pytest.mark.parametrize(
    ("path_hub", "model", "body", "code"),
    [
        (GATED[0], GATED[1], {"action": "sell"}, "InvalidInput"),
        (GATED[0], GATED[1], {}, "InvalidInput"),
        (GATED[0], GATED[1], {"action": "deploy", "version": "latest"}, "ValidationError"),
        (GATED[0], GATED[1], {"action": "deploy", "sha256": "xyz"}, "InvalidInput"),
        (GATED[0], GATED[1], {"action": "deploy", "accept_for": "bob"}, "InvalidInput"),
        (GATED[0], "bad_model!", {"action": "deploy"}, "ValidationError"),
        ("no hub here", GATED[1], {"action": "deploy"}, "ValidationError"),
    ],
)
async def test_bad_accept_requests_are_400(api, path_hub, model, body, code) -> None:
    r = await api("POST", eula_path(path_hub, model), body=body)
    assert r.code == 400, r.body
    assert r.json()["code"] == code and r.json()["message"]
    assert (await api("GET", "eula-acceptances")).json()["acceptances"] == []


async def test_malformed_json_is_400(api) -> None:
    r = await api("POST", eula_path(*GATED), body="{not json")
    assert r.code == 400 and r.json()["code"] == "InvalidJson"
    r = await api("GET", "eula-acceptances", params={"format": "xml"})
    assert r.code == 400


@pytest.mark.parametrize(
    ("hub", "model", "params"),
    [
        ("NoSuchHub", GATED[1], None),
        (GATED[0], "no-such-model", None),
        (GATED[0], GATED[1], {"version": "9.9.9"}),
    ],
)
async def test_unknown_hub_model_or_version_is_404(api, hub, model, params) -> None:
    r = await api("GET", eula_path(hub, model), params=params)
    assert r.code == 404, r.body
    assert r.json()["message"]
    assert (await api("POST", eula_path(hub, model), body={"action": "deploy", **(params or {})})).code == 404


class TestUnusableStore:
    """A damaged store file or one whose folder cannot be created: gated actions refused, open ones work."""

    @pytest.fixture(params=["corrupt", "unwritable"])
    def eula_store_path(self, request, tmp_path):
        """A store that cannot be used: a damaged file, or a location whose folder cannot be created."""
        if request.param == "corrupt":
            path = tmp_path / "eula-acceptances.sqlite3"
            path.write_bytes(b"garbage" * 500)
            return path
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder")
        return blocker / "eula-acceptances.sqlite3"

    async def test_gated_actions_are_refused_with_503(self, api, boto) -> None:
        r = await api("GET", eula_path(*GATED))
        assert r.code == 503 and r.json()["code"] == "AcceptanceStoreUnavailable"
        assert "writable" in r.json()["message"]  # says what to check
        assert (await api("POST", eula_path(*GATED), body={"action": "deploy"})).code == 503
        r = await api("POST", "notebooks", body={"hub": GATED[0], "model_id": GATED[1], "action": "deploy"})
        assert r.code == 503 and "store" in r.json()["message"]
        endpoints_before = boto("sagemaker").list_endpoints(MaxResults=100)["Endpoints"]
        r = await api("POST", "deployments", body={"hub": GATED[0], "model_id": GATED[1]})
        assert r.code == 503 and r.json()["code"] == "AcceptanceStoreUnavailable"
        assert boto("sagemaker").list_endpoints(MaxResults=100)["Endpoints"] == endpoints_before  # nothing deployed
        # a model without a EULA does not need the store
        r = await api("POST", "notebooks", body={"hub": OPEN[0], "model_id": OPEN[1], "action": "deploy"})
        assert r.code == 201


@pytest.mark.parametrize("action", ACTIONS)
async def test_require_refuses_every_action_without_acceptance(api, jp_serverapp, action) -> None:
    services = jp_serverapp.web_app.settings["jumpstart_lab.services"]
    doc = services.catalog.model_document(*GATED)
    me = getpass.getuser()  # who the API's requests act as on this single-user server
    with pytest.raises(EulaNotAccepted) as err:
        services.eula.require(doc, action, me)
    assert err.value.details["eula_uri"] == doc.eula_uri and action in err.value.message
    assert (await api("POST", eula_path(*GATED), body={"action": action})).code == 201
    assert services.eula.require(doc, action, me).model_id == GATED[1]
    with pytest.raises(EulaNotAccepted):  # the acceptance is that user's, not anyone's
        services.eula.require(doc, action, f"not-{me}")
    assert services.eula.require(services.catalog.model_document(*OPEN), action, me) is None
