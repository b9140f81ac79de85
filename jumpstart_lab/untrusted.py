"""Text from a hub, an S3 object or the user's AWS account is hostile: the one way it reaches HTML.

Anyone who can write hub content (an admin of a private hub, the owner of a hub shared through RAM)
chooses display names, descriptions, markdown, keywords, EULA text, links and failure reasons.
JupyterLab trusts the outputs a kernel produces in the current session and renders them
unsanitised, so everything the panel shows goes through this module:

- :func:`esc` for plain text (HTML-escaped, control and direction-override characters removed,
  optionally shortened);
- :func:`markdown_html` for a model's markdown card: rendered by markdown-it, then sanitised by
  nh3 (ammonia): no script, no event handlers, no style, no ``javascript:``/``data:`` URLs, links
  open in a new tab with ``rel="noopener noreferrer"``, images only over https (else their alt text);
- :func:`safe_url` for the links the panel builds from hub data (EULA, notebooks, Marketplace):
  https only, and an AWS host where the link claims to be AWS's.

Plain Python (no widgets): the panel and the notebook generator share it.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

import nh3
from markdown_it import MarkdownIt

#: C0/C1 controls (tab and newline kept), bidirectional overrides/isolates/marks, line/paragraph separators.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_S3_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
#: Hosts of AWS's own pages and buckets (a link that claims to be an AWS page must be on one of these).
AWS_DOMAINS = ("amazonaws.com", "amazonaws.com.cn", "aws.amazon.com", "amazon.com", "aws")
MAX_MARKDOWN = 200_000

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
LINK_SCHEMES = ("https", "http", "mailto")
_IMG = re.compile(r"<img\b([^>]*)>")
_ALT = re.compile(r'\balt="([^"]*)"')


def text(value: object, limit: int | None = None) -> str:
    """``value`` as display text: None is empty, invisible controls removed, at most ``limit`` characters."""
    out = _INVISIBLE.sub("", "" if value is None else str(value))
    if limit is not None and len(out) > limit:
        out = out[: max(limit - 1, 0)].rstrip() + "…"
    return out


def esc(value: object, limit: int | None = None) -> str:
    """Escaped text for HTML content and quoted attributes (see :func:`text`)."""
    return html.escape(text(value, limit))


def _is_aws_host(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in AWS_DOMAINS)


def safe_url(uri: object, *, aws: bool = False) -> str | None:
    """An https address a browser may open for ``uri``, or None.

    ``s3://bucket/key`` becomes the bucket's https URL. Refused: other schemes (``javascript:``,
    ``data:``, ``http:``, ``file:``), credentials in the URL, control characters or spaces, and, with
    ``aws=True`` (EULA and Marketplace links), any host that is not AWS's.
    """
    if (
        not isinstance(uri, str)
        or not uri
        or len(uri) > 2048
        or _INVISIBLE.search(uri)
        or any(c.isspace() for c in uri)
    ):
        return None
    if uri.startswith("s3://"):
        bucket, _, key = uri[5:].partition("/")
        if not _S3_BUCKET.fullmatch(bucket) or ".." in bucket:
            return None
        return f"https://{bucket}.s3.amazonaws.com/{quote(key)}"
    try:
        parts = urlsplit(uri)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or not host or "@" in parts.netloc or "\\" in uri:
        return None
    if aws and not _is_aws_host(host):
        return None
    netloc = host if port in (None, 443) else f"{host}:{port}"
    return urlunsplit(("https", netloc, parts.path, parts.query, parts.fragment))


def link(uri: object, label: object, *, aws: bool = False) -> str:
    """An escaped link opening in a new tab, or just the label when ``uri`` is not a safe address."""
    url = safe_url(uri, aws=aws)
    if url is None:
        return esc(label)
    return f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{esc(label)}</a>'


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return safe_url(value)
    if tag == "a" and attribute == "href":
        scheme = value.split(":", 1)[0].lower() if ":" in value else ""
        if scheme == "https":
            return safe_url(value)
        if scheme in ("http", "mailto") and not _INVISIBLE.search(value) and not any(c.isspace() for c in value):
            return value
        return None
    return value


def _alt_text(match: re.Match[str]) -> str:
    """An image left without a source (not https) shows its alt text instead."""
    attributes = match.group(1)
    if re.search(r'\bsrc="', attributes):
        return match.group(0)
    alt = _ALT.search(attributes)
    label = html.unescape(alt.group(1)) if alt else ""
    return f'<span class="jsl-img-alt">[{html.escape(label)}]</span>' if label else ""


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(["table", "strikethrough"])
    return md


def sanitize_html(fragment: str) -> str:
    """``fragment`` with only the tags, attributes and URLs of the policy above left."""
    cleaned = nh3.clean(
        fragment,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True,
    )
    return _IMG.sub(_alt_text, cleaned)


def markdown_html(source: object) -> str:
    """A model card's markdown as sanitised HTML (raw HTML in it is allowed, then cleaned)."""
    body = text(source, MAX_MARKDOWN)
    if not body.strip():
        return ""
    return sanitize_html(_markdown().render(body))


__all__ = ["esc", "link", "markdown_html", "safe_url", "sanitize_html", "text"]
