"""The sanitiser's policy (jumpstart_lab/untrusted.py): what hub text may become in the panel's HTML."""

from __future__ import annotations

import pytest
from hostile import MARKDOWN, PAYLOADS, assert_inert

from jumpstart_lab.untrusted import esc, link, markdown_html, safe_url, text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_keeps_anything_that_can_run(payload: str) -> None:
    assert_inert(markdown_html(payload))
    assert "<" not in esc(payload) and ">" not in esc(payload) and '"' not in esc(payload)


def test_the_whole_corpus_renders_inert_but_readable() -> None:
    html = markdown_html(MARKDOWN)
    assert_inert(html)
    assert "<h1>HOSTILE-MARK card</h1>" in html  # the markdown still renders as markdown
    assert "click me" in html and "css expression" in html  # the text of neutralised elements stays
    assert '<img src="https://example.com/ok.png" alt="safe image">' in html  # https images are kept


def test_links_open_in_a_new_tab_without_opener_and_only_to_web_addresses() -> None:
    html = markdown_html("[docs](https://example.com/a?b=1) [plain](http://example.com) [mail](mailto:a@b.c)")
    assert html.count('target="_blank"') == 3 and html.count('rel="noopener noreferrer"') == 3
    for bad in ("javascript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd", "/lab/tree/x", "#top"):
        out = markdown_html(f'<a href="{bad}">x</a> [y]({bad})')
        assert "href" not in out, (bad, out)


def test_images_only_over_https_else_their_alt_text() -> None:
    assert (
        markdown_html("![logo](http://example.com/l.png)").strip() == '<p><span class="jsl-img-alt">[logo]</span></p>'
    )
    out = markdown_html('<img src="data:image/png;base64,AAAA" alt="<b>bold</b>">')
    assert out == '<span class="jsl-img-alt">[&lt;b&gt;bold&lt;/b&gt;]</span>'  # the alt text, as text
    assert markdown_html('<img src="x" onerror="alert(1)">') == ""  # nothing to show, nothing that runs


def test_direction_overrides_and_controls_are_removed_and_long_text_shortened() -> None:
    assert text("abc\u202edef\u2066\x00\x1b") == "abcdef"
    assert esc("<b>\u202e") == "&lt;b&gt;"
    assert text("x" * 50, limit=10) == "x" * 9 + "…"
    assert "\u202e" not in markdown_html("gnp\u202eexe")


@pytest.mark.parametrize(
    ("uri", "aws", "expected"),
    [
        ("s3://jumpstart-cache-prod-us-west-2/eula/llama.txt", True,
         "https://jumpstart-cache-prod-us-west-2.s3.amazonaws.com/eula/llama.txt"),
        ("https://aws.amazon.com/marketplace/pp/prodview-1", True, "https://aws.amazon.com/marketplace/pp/prodview-1"),
        ("https://ai.meta.com/llama/license/", True, None),  # claims to be an AWS link: must be on an AWS host
        ("https://evil.example.com/aws.amazon.com", True, None),
        ("https://aws.amazon.com.evil.example.com/x", True, None),
        ("https://github.com/aws/amazon-sagemaker-examples/x.ipynb", False,
         "https://github.com/aws/amazon-sagemaker-examples/x.ipynb"),
        ("http://example.com/x", False, None),  # https only
        ("javascript:alert(1)", False, None),
        ("JaVaScRiPt:alert(1)", False, None),
        ("data:text/html,<script>", False, None),
        ("https://user:pw@aws.amazon.com/", True, None),
        ("https://aws.amazon.com/a b", True, None),
        ("https://aws.amazon.com/\u202e", True, None),
        ("s3://../x", True, None),
        (None, False, None),
        (42, False, None),
    ],
)  # fmt: skip
def test_safe_url(uri, aws, expected) -> None:
    assert safe_url(uri, aws=aws) == expected


def test_link_escapes_its_label_and_falls_back_to_text() -> None:
    assert link("javascript:alert(1)", "<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert link("https://aws.amazon.com/x", "a'b\"") == (
        '<a href="https://aws.amazon.com/x" target="_blank" rel="noopener noreferrer">a&#x27;b&quot;</a>'
    )
