"""Adding and deleting stream their progress as NDJSON, and the client follows it."""

from __future__ import annotations

import json

import pytest
from hub_support import hub_exists, reference_names


def streamed(response) -> list[dict]:
    """The lines of an ``application/x-ndjson`` answer."""
    assert response.headers["Content-Type"].startswith("application/x-ndjson"), response.headers["Content-Type"]
    return [json.loads(line) for line in response.body.decode().splitlines() if line]


def ndjson() -> dict[str, str]:
    return {"Accept": "application/x-ndjson"}  # a new dict each time: jp_fetch adds the server's token to it


async def test_adding_and_deleting_stream_their_progress(api, sm, private_hub):
    """Asked for ``application/x-ndjson``, the server reports each model it adds and each item it removes as it
    goes, then the result; without it the answer is the plain JSON result."""
    name = (await private_hub())["name"]
    meta = reference_names(sm, "CompanyHub")
    r = await api("POST", f"hubs/{name}/references", body={"filter": {"framework": "meta"}}, headers=ndjson())
    assert r.code == 200, r.body
    *steps, last = streamed(r)
    assert [s["progress"]["done"] for s in steps] == list(range(1, len(meta) + 1))
    assert {s["progress"]["total"] for s in steps} == {len(meta)}
    assert {s["progress"]["what"] for s in steps} == {f"added {m}" for m in meta}
    assert last["result"]["added"] == len(meta) and reference_names(sm, name) == meta

    r = await api("POST", f"hubs/{name}/references", body={"models": sorted(meta)[:1]})  # no Accept: plain JSON
    assert r.headers["Content-Type"].startswith("application/json") and r.json()["already_present"] == 1

    r = await api("DELETE", f"hubs/{name}", headers=ndjson())
    assert r.code == 200, r.body
    *steps, last = streamed(r)
    assert [s["progress"]["done"] for s in steps] == list(range(1, len(meta) + 2))  # each reference, the hub
    assert steps[-1]["progress"]["what"] == f"deleted hub {name}"
    assert last["result"]["deleted"] is True and len(last["result"]["removed"]) == len(meta)
    assert not hub_exists(sm, name)


async def test_a_streamed_delete_ends_with_the_error_and_what_was_done(api, sm, private_hub, faults):
    """An error after the first progress line is the stream's last line: its status, code, message and the
    report of what was removed and what is left; an error before it is an ordinary error response."""
    name = (await private_hub())["name"]
    refs = sorted(reference_names(sm, "CompanyHub"))[:3]
    assert (await api("POST", f"hubs/{name}/references", body={"models": refs})).json()["added"] == 3
    faults(action="DeleteHubContentReference", code="AccessDeniedException", message="no delete for you")
    r = await api("DELETE", f"hubs/{name}", headers=ndjson())
    assert r.code == 200, r.body
    *steps, last = streamed(r)
    assert [s["progress"]["done"] for s in steps] == [1, 2]
    error = last["error"]
    assert (error["status"], error["code"]) == (403, "AccessDenied") and "no delete for you" in error["message"]
    assert len(error["removed"]) == 2 and [x["model_id"] for x in error["remaining"]] == list(reference_names(sm, name))
    assert hub_exists(sm, name)

    r = await api("DELETE", "hubs/NoSuchHubAnywhere", headers=ndjson())
    assert r.code == 404 and r.headers["Content-Type"].startswith("application/json") and r.json()["code"]


async def test_the_client_follows_the_streamed_progress(jumpstart_client, sm, private_hub, faults):
    """``JumpStartClient.add_references`` / ``delete_hub`` with ``progress``: one call per step, then the result;
    an error in the stream raises ApiError with the server's status, code and report."""
    import asyncio

    from jumpstart_lab.client import ApiError

    name = (await private_hub())["name"]
    refs = sorted(reference_names(sm, "CompanyHub"))[:3]
    steps: list[tuple[str, int, int]] = []
    added = await asyncio.to_thread(
        jumpstart_client.add_references, name, refs, progress=lambda *step: steps.append(step)
    )
    assert added["added"] == 3 and [s[1:] for s in steps] == [(1, 3), (2, 3), (3, 3)]

    faults(action="DeleteHubContentReference", code="AccessDeniedException", message="no delete for you")
    with pytest.raises(ApiError) as failed:
        await asyncio.to_thread(jumpstart_client.delete_hub, name, progress=lambda *step: None)
    assert failed.value.status == 403 and failed.value.code == "AccessDenied"
    assert len(failed.value.details["removed"]) == 2 and len(failed.value.details["remaining"]) == 1

    steps.clear()
    done = await asyncio.to_thread(jumpstart_client.delete_hub, name, progress=lambda *step: steps.append(step))
    assert done["deleted"] is True and steps[-1] == (f"deleted hub {name}", 2, 2)
    assert not hub_exists(sm, name)
