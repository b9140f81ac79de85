"""Names and helpers of the hub browsing API tests: every page of a query, a page once the catalog loaded,
the documents behind it."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

from hub_support import hub_contents

PUBLIC = "SageMakerPublicHub"
PUBLIC_ARN = "arn:aws:sagemaker:us-west-2:aws:hub/SageMakerPublicHub"
COMPANY_ARN = "arn:aws:sagemaker:us-west-2:123456789012:hub/CompanyHub"
PARTNER_ARN = "arn:aws:sagemaker:us-west-2:111122223333:hub/PartnerHub"
LLAMA = "meta-textgeneration-llama-2-13b-f"
FLAN = "huggingface-text2text-flan-t5-base"


def public_models(boto) -> dict[str, dict]:
    """Latest summary of every public model, straight from ListHubContents."""
    return hub_contents(boto("sagemaker"), PUBLIC, "Model")


def document(boto, model_id: str, hub: str = PUBLIC, content_type: str = "Model") -> dict:
    """The latest hub content document of a model, parsed."""
    reply = boto("sagemaker").describe_hub_content(HubName=hub, HubContentType=content_type, HubContentName=model_id)
    return json.loads(reply["HubContentDocument"])


async def all_pages(api, hub: str, **params) -> tuple[list[dict], list[dict]]:
    """Every page of a query: (models, pages)."""
    models, pages, cursor = [], [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await api("GET", f"hubs/{hub}/models", params=query)
        assert r.code == 200, r.body
        page = r.json()
        pages.append(page)
        models += page["models"]
        cursor = page["next_cursor"]
        if not cursor:
            return models, pages


async def complete_page(api, hub: str, **params) -> dict:
    """A page as a client sees it once the hub's catalog has loaded: ask again while ``complete`` is false."""
    for _ in range(200):
        r = await api("GET", f"hubs/{hub}/models", params=params)
        assert r.code == 200, r.body
        page = r.json()
        if page["complete"]:
            return page
        await asyncio.sleep(0.1)
    raise AssertionError(f"hubs/{hub}/models stayed incomplete")


def counts(models: list[dict], facet: str) -> dict[str, int]:
    """How many of the models have each value of a facet (models without it left out)."""
    return dict(Counter(m[facet] for m in models if m[facet]))
