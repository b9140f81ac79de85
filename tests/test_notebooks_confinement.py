"""A notebook_dir configured outside the server root is refused, never written to."""

from __future__ import annotations

from pathlib import Path

import pytest

OPEN = {"hub": "SageMakerPublicHub", "model_id": "huggingface-llm-mistral-7b-instruct", "action": "deploy"}


@pytest.fixture(params=["../escape", "/tmp/jumpstart-lab-escape", "a/../../escape"])
def jumpstart_settings(request):
    return {"notebook_dir": request.param}


async def test_notebook_dir_outside_the_root_is_refused(api, jp_root_dir: Path) -> None:
    r = await api("POST", "notebooks", body=OPEN)
    assert r.code in (400, 403), r.body
    assert r.json()["code"] in ("InvalidInput", "OutsideRoot") and "root" in r.json()["message"]
    assert not (jp_root_dir.parent / "escape").exists()
    assert not Path("/tmp/jumpstart-lab-escape").exists()
