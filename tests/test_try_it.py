"""Try it: the examples a model offers (chat first) and the answer shown readably."""

from __future__ import annotations

import pytest

from jumpstart_lab.deployments.payloads import examples
from jumpstart_lab.widget.i18n import Translator
from jumpstart_lab.widget.try_it import generated_text, response_html


def test_examples_put_chat_requests_first_in_snake_case() -> None:
    document = {
        "DefaultPayloads": {
            "Code": {
                "ContentType": "application/json",
                "Body": {"Inputs": "def f():", "Parameters": {"MaxNewTokens": 8}},
            },
            "Chat": {"Body": {"Messages": [{"Role": "user", "Content": "Hi"}]}},
        },
        "InferenceConfigs": {},
    }
    found = examples(document)
    assert [e["name"] for e in found] == ["Chat", "Code"] and found[0]["chat"] and not found[1]["chat"]
    assert found[1]["body"] == {"inputs": "def f():", "parameters": {"max_new_tokens": 8}}
    assert found[0]["content_type"] == "application/json"  # the default when an example names none
    assert examples({}) == [] and examples({"DefaultPayloads": ["x"]}) == []


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ([{"generated_text": "Hello"}], "Hello"),
        ({"generated_text": "Hi"}, "Hi"),
        ({"choices": [{"message": {"role": "assistant", "content": "Chat answer"}}]}, "Chat answer"),
        ({"generation": "G"}, "G"),
        ("plain", "plain"),
        ({"embedding": [[0.1, 0.2]]}, None),
    ],
)
def test_generated_text_from_the_answer_shapes(body, text) -> None:
    assert generated_text(body) == text


def test_response_shows_text_as_text_and_json_collapsed() -> None:
    html = response_html({"body": [{"generated_text": "<b>bold</b>"}]}, Translator("en"))
    assert "<div class='jsl-generated' tabindex='0'>&lt;b&gt;bold&lt;/b&gt;</div>" in html
    assert "<details><summary>Full answer (JSON)</summary>" in html
    raw = response_html({"body": {"embedding": [[0.5]]}}, Translator("en"))
    assert "jsl-generated" not in raw and "0.5" in raw
