"""A hostile-content corpus: what someone who can write hub content could put in a model's fields.

Every script-capable payload sets ``window.__pwned`` (a page-level flag the browser tests check stays
unset); the plain-text markers must still be shown to the user as text. ``assert_inert`` checks HTML made
from it.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

from jumpstart_lab.untrusted import TAGS

FLAG = "__pwned"
HUB = "HostileHub"
MODEL = "hostile-model"
EULA_BUCKET = "hostile-eulas"
EULA_KEY = "eula/hostile.txt"
MARK = "HOSTILE-MARK"  # visible in every field, so a test can find the text the payload sits in

SET = f"window.{FLAG}=1"
PAYLOADS = [
    f"<script>{SET}</script>",
    f'<img src=x onerror="{SET}">',
    f'<svg onload="{SET}"><script>{SET}</script></svg>',
    f'<a href="javascript:{SET}">click me</a>',
    f'<a href="data:text/html,<script>{SET}</script>">data link</a>',
    f'<iframe src="javascript:{SET}"></iframe>',
    f'<p style="width: expression({SET})">css expression</p>',
    f'<details open ontoggle="{SET}">x</details>',
    f"[md link](javascript:{SET})",
    f"![md image](javascript:{SET})",
    "'\"><img src=x onerror=" + SET + ">",
    "\u202egnp.exe\u202c right-to-left override",
]
LONG = "A" * 5000

DISPLAY_NAME = f"{MARK} name " + PAYLOADS[1] + PAYLOADS[10] + PAYLOADS[11]
DESCRIPTION = f"{MARK} description " + " ".join(PAYLOADS) + " " + LONG
MARKDOWN = (
    f"# {MARK} card\n\n" + "\n\n".join(PAYLOADS) + "\n\n![safe image](https://example.com/ok.png)\n\n" + LONG + "\n"
)
KEYWORDS = [k.lower() for k in (f"@task:{PAYLOADS[1]}", f"@provider:{PAYLOADS[0]}", f"{MARK} keyword {PAYLOADS[2]}")]
EULA_TEXT = f"{MARK} EULA text\n" + "\n".join(PAYLOADS)


def document() -> dict:
    """A minimal, deployable Model document whose strings are hostile and which is gated by the EULA above."""
    return {
        "Url": f"javascript:{SET}",
        "MinSdkVersion": "2.189.0",
        "TrainingSupported": False,
        "HostingEcrUri": "763104351884.dkr.ecr.us-west-2.amazonaws.com/huggingface-pytorch-inference:2.1.0",
        "HostingArtifactUri": "s3://jumpstart-cache-prod-us-west-2/huggingface-infer/hostile.tar.gz",
        "HostingScriptUri": "s3://jumpstart-cache-prod-us-west-2/source-directory-tarballs/hostile.tar.gz",
        "DefaultInferenceInstanceType": "ml.g5.2xlarge",
        "SupportedInferenceInstanceTypes": ["ml.g5.2xlarge"],
        "HostingEulaUri": f"s3://{EULA_BUCKET}/{EULA_KEY}",
        "Task": PAYLOADS[1],
        "Provider": PAYLOADS[0],
        "License": PAYLOADS[2],
        "Framework": "huggingface",
        "DefaultPayloads": {},
        "NotebookLocations": {
            "DemoNotebooks": [
                {"Title": f"{MARK} js notebook {PAYLOADS[1]}", "S3Uri": f"javascript:{SET}"},
                {"Title": f"{MARK} data notebook", "S3Uri": f"data:text/html,<script>{SET}</script>"},
            ]
        },
        "ModelSubscriptionLink": f"https://evil.example.com/{MARK}",
    }


def import_hostile_model(sm, s3, hub: str = HUB) -> None:
    """Create ``hub`` (if needed), the EULA object, and the hostile model in it."""
    try:
        sm.create_hub(HubName=hub, HubDescription=f"{MARK} hub " + PAYLOADS[1], HubDisplayName=f"{MARK} hub")
    except sm.exceptions.ResourceInUse:
        pass
    try:
        s3.create_bucket(Bucket=EULA_BUCKET, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    except (s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
        pass
    s3.put_object(Bucket=EULA_BUCKET, Key=EULA_KEY, Body=EULA_TEXT.encode())
    sm.import_hub_content(
        HubName=hub,
        HubContentName=MODEL,
        HubContentVersion="1.0.0",
        HubContentType="Model",
        DocumentSchemaVersion="2.0.0",
        HubContentDisplayName=DISPLAY_NAME[:255],
        HubContentDescription=DESCRIPTION[:1023],
        HubContentMarkdown=MARKDOWN,
        HubContentSearchKeywords=KEYWORDS,
        HubContentDocument=json.dumps(document()),
    )


class StartTags(HTMLParser):
    """Every start tag of an HTML text, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    """Only allowed tags; no event handler or style; every URL a web address (or mail)."""
    parser = StartTags()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in TAGS, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", (tag, name, html)
            if name in ("href", "src"):
                assert (value or "").startswith(("https://", "http://", "mailto:")), (tag, name, value)
                assert name != "src" or value.startswith("https://"), value
