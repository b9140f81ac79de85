"""Real responses of the EULA and notebook endpoints (every verb, errors included) match openapi.json."""

from __future__ import annotations

from openapi_support import check

GATED = "hubs/CompanyHub/models/meta-textgeneration-llama-2-7b-f/eula"


async def test_eula_and_notebook_responses_match_the_document(api) -> None:
    t_eula = "/hubs/{hub}/models/{model_id}/eula"
    r = await api("GET", GATED)
    check(t_eula, "get", r.code, r.json())
    r = await api(
        "POST",
        "notebooks",
        body={"hub": "CompanyHub", "model_id": "meta-textgeneration-llama-2-7b-f", "action": "deploy"},
    )
    assert r.code == 403
    check("/notebooks", "post", 403, r.json())
    r = await api("POST", GATED, body={"action": "deploy"})
    assert r.code == 201
    check(t_eula, "post", 201, r.json())
    r = await api("GET", GATED)
    assert r.json()["accepted"] is True
    check(t_eula, "get", 200, r.json())
    r = await api("POST", GATED, body={"action": "nope"})
    check(t_eula, "post", 400, r.json())
    r = await api("GET", "hubs/CompanyHub/models/no-such-model/eula")
    check(t_eula, "get", 404, r.json())
    r = await api("GET", "eula-acceptances")
    check("/eula-acceptances", "get", 200, r.json())
    r = await api("GET", "eula-acceptances", params={"format": "csv"})
    check("/eula-acceptances", "get", 200, r.body.decode(), "text/csv")
    r = await api(
        "POST",
        "notebooks",
        body={"hub": "CompanyHub", "model_id": "meta-textgeneration-llama-2-7b-f", "action": "train", "sdk": "v2"},
    )
    assert r.code == 201
    check("/notebooks", "post", 201, r.json())
    for bad, status in (({"hub": "x"}, 400), ({"hub": "NoSuchHub", "model_id": "m", "action": "deploy"}, 404)):
        r = await api("POST", "notebooks", body=bad)
        assert r.code == status
        check("/notebooks", "post", status, r.json())
