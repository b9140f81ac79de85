"""The hub browsing API's model details and its errors: what a gated, open, referenced or imported model
shows; bad input and missing things named."""

from __future__ import annotations

import pytest
from hubs_api_support import (
    FLAN,
    LLAMA,
    PUBLIC,
    complete_page,
    document,
    public_models,
)

# -- details -----------------------------------------------------------------------------------


async def test_model_detail_gated_trainable(api, boto):
    r = await api("GET", f"hubs/{PUBLIC}/models/{LLAMA}")
    assert r.code == 200
    d = r.json()
    doc = document(boto, LLAMA)
    assert d["model_id"] == LLAMA and d["version"] == "4.19.0" and d["versions"] == ["4.19.0", "4.18.0"]
    assert d["gated"] is True and d["eula"] == {"required": True, "uri": doc["HostingEulaUri"]}
    assert d["trainable"] is True and d["training"]["supported"] is True
    assert d["training"]["default_instance_type"] == doc["DefaultTrainingInstanceType"]
    assert d["training"]["supported_instance_types"] == doc["SupportedTrainingInstanceTypes"]
    names = [h["name"] for h in d["training"]["hyperparameters"]]
    assert names == [h["Name"] for h in doc["Hyperparameters"]]
    assert d["inference"] == {
        "default_instance_type": doc["DefaultInferenceInstanceType"],
        "supported_instance_types": doc["SupportedInferenceInstanceTypes"],
    }
    assert d["markdown"].startswith("# ") and d["url"] == doc["Url"]
    assert d["min_sdk_version"] == doc.get("MinSdkVersion")
    assert d["evaluation_supported"] is True
    assert d["notebooks"] and all(n["uri"].startswith("s3://") for n in d["notebooks"])
    assert d["marketplace"] is None
    assert d["hub_content_arn"].endswith(f"/SageMakerPublicHub/Model/{LLAMA}/4.19.0")
    older = (await api("GET", f"hubs/{PUBLIC}/models/{LLAMA}", params={"version": "4.18.0"})).json()
    assert older["version"] == "4.18.0" and older["hub_content_arn"].endswith("/4.18.0")


async def test_model_detail_open_and_proprietary(api, boto):
    flan = (await api("GET", f"hubs/{PUBLIC}/models/{FLAN}")).json()
    assert flan["gated"] is False and flan["eula"] == {"required": False, "uri": None}
    catalog = public_models(boto)
    proprietary = next(n for n in sorted(catalog) if document(boto, n)["ModelTypes"] == ["PROPRIETARY"])
    doc = document(boto, proprietary)
    d = (await api("GET", f"hubs/{PUBLIC}/models/{proprietary}")).json()
    assert d["model_type"] == "proprietary"
    assert d["marketplace"] == {
        "subscription_url": doc.get("ModelSubscriptionLink"),
        "listing_id": doc.get("ListingId"),
        "product_id": doc.get("ProductId"),
    }


async def test_reference_resolves_to_public_document_and_min_version(api, boto):
    sm = boto("sagemaker")
    hub = "H3MinVersionHub"
    public_arn = f"arn:aws:sagemaker:us-west-2:aws:hub-content/{PUBLIC}/Model/{LLAMA}/4.19.0"
    sm.create_hub(HubName=hub, HubDescription="min version test")
    try:
        sm.create_hub_content_reference(HubName=hub, SageMakerPublicHubContentArn=public_arn, MinVersion="4.19.0")
        page = await complete_page(api, hub)
        assert [(m["model_id"], m["content_type"], m["gated"], m["license"]) for m in page["models"]] == [
            (LLAMA, "ModelReference", True, document(boto, LLAMA)["License"])
        ]
        d = (await api("GET", f"hubs/{hub}/models/{LLAMA}")).json()
        assert d["content_type"] == "ModelReference" and d["versions"] == ["4.19.0"]
        assert d["public_content_arn"] == public_arn and d["gated"] is True
        assert d["hub_content_arn"].endswith(f"/{hub}/ModelReference/{LLAMA}/4.19.0")
        r = await api("GET", f"hubs/{hub}/models/{LLAMA}", params={"version": "4.18.0"})
        assert r.code == 404 and "minimum 4.19.0" in r.json()["message"]
        # CompanyHub's reference has no MinVersion: every public version
        company = (await api("GET", f"hubs/CompanyHub/models/{LLAMA}")).json()
        assert company["versions"] == ["4.19.0", "4.18.0"]
        older = (await api("GET", f"hubs/CompanyHub/models/{LLAMA}", params={"version": "4.18.0"})).json()
        assert older["version"] == "4.18.0" and older["public_content_arn"].endswith("/4.18.0")
    finally:
        sm.delete_hub_content_reference(HubName=hub, HubContentType="ModelReference", HubContentName=LLAMA)
        sm.delete_hub(HubName=hub)


async def test_imported_model_in_private_hub(api):
    page = (await api("GET", "hubs/ResearchHub/models")).json()
    acme = next(m for m in page["models"] if m["model_id"] == "acme-custom-llm")
    assert acme["content_type"] == "Model"
    d = (await api("GET", "hubs/ResearchHub/models/acme-custom-llm")).json()
    assert d["content_type"] == "Model" and len(d["versions"]) == 2 and d["public_content_arn"] is None


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("hubs/NoSuchHub/models", {}, 404, "NotFound"),
        ("hubs/bad_hub!/models", {}, 400, "ValidationError"),
        ("hubs/arn:aws:sagemaker:us-west-2:123:hub/X/models", {}, 400, "ValidationError"),
        (f"hubs/{PUBLIC}/models", {"cursor": "not-a-cursor"}, 400, "InvalidCursor"),
        (f"hubs/{PUBLIC}/models", {"limit": "0"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"limit": "201"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"limit": "ten"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"gated": "maybe"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"trainable": "sometimes"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"model_type": "closed"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"sort": "popular"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"instance_type": "gpu-large"}, 400, "ValidationError"),
        (f"hubs/{PUBLIC}/models", {"task": "<script>alert(1)</script>"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"q": "x" * 300}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"color": "blue"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models/no-such-model", {}, 404, "NotFound"),
        (f"hubs/{PUBLIC}/models/bad_model", {}, 400, "ValidationError"),
        (f"hubs/{PUBLIC}/models/{LLAMA}", {"version": "4.19"}, 400, "ValidationError"),
        (f"hubs/{PUBLIC}/models/{LLAMA}", {"version": "9.9.9"}, 404, "NotFound"),
        ("hubs/CompanyHub/models/no-such-model", {}, 404, "NotFound"),
        ("hubs", {"refresh": "perhaps"}, 400, "InvalidInput"),
    ],
)
async def test_bad_input_gets_a_clear_error(api, path, params, status, code):
    r = await api("GET", path, params=params)
    assert r.code == status, r.body
    body = r.json()
    assert body["code"] == code and body["message"]
    assert "Traceback" not in body["message"]


async def test_not_found_messages_name_what_is_missing(api):
    r = await api("GET", "hubs/NoSuchHub/models")
    assert r.json()["message"] == "Hub NoSuchHub does not exist in this region or is not shared with your account."
    r = await api("GET", f"hubs/{PUBLIC}/models/{LLAMA}", params={"version": "9.9.9"})
    assert r.json()["message"] == f"Version 9.9.9 of model {LLAMA} is not in hub {PUBLIC}."


async def test_cursor_of_another_sort_is_rejected(api):
    page = (await api("GET", f"hubs/{PUBLIC}/models", params={"limit": "3"})).json()
    r = await api("GET", f"hubs/{PUBLIC}/models", params={"cursor": page["next_cursor"], "sort": "newest"})
    assert r.code == 400 and r.json()["code"] == "InvalidCursor"


async def test_unauthenticated_requests_are_refused(http_server_client, jp_base_url):
    from tornado.httpclient import HTTPClientError

    for path in ("hubs", f"hubs/{PUBLIC}/models", f"hubs/{PUBLIC}/models/{LLAMA}"):
        with pytest.raises(HTTPClientError) as err:
            await http_server_client.fetch(f"{jp_base_url}jumpstart-lab/api/{path}")
        assert err.value.code in (401, 403)
