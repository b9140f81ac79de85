"""Creation-time windows of a hub's listing: a full window page splits the rest of its window (sized by that
page's density) and the pieces add up to the plain listing, for ListHubContents and for Search, against a local
service of its own with 400 extra public models; ``windows.rest`` on its own."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from jumpstart_lab.aws.session import AwsContext, AwsSettings
from jumpstart_lab.browse.fanout import fan_out
from jumpstart_lab.browse.reader import HubReader, Window
from jumpstart_lab.browse.windows import epoch, rest, sampled

PUBLIC = "SageMakerPublicHub"


@pytest.fixture(scope="module")
def reader() -> Iterator[HubReader]:
    from jumpstart_lab.local.process import LocalServiceProcess

    proc = LocalServiceProcess(env={"JUMPSTART_LAB_LOCAL_EXTRA_MODELS": "400"})
    client = AwsContext(AwsSettings(endpoint_url=proc.start(), local=True)).client("sagemaker")
    yield HubReader(lambda _: client, PUBLIC)
    proc.stop()


def every(fetch) -> list[dict]:
    items, token = fetch(None)
    while token:
        more, token = fetch(token)
        items += more
    return items


def test_one_open_window_is_split_and_adds_up_to_the_listing(reader):
    listing = every(lambda t: reader.list_page("Model", t))
    names = {i["HubContentName"] for i in listing}
    newest = max(epoch(i["CreationTime"]) for i in listing)
    asked: list[tuple[Window, str | None]] = []

    def fetch(window, token):
        asked.append((window, token))
        return reader.list_page("Model", token, window)

    with ThreadPoolExecutor(16) as pool:
        [found] = fan_out(pool, fetch, [Window()], lambda i: i["HubContentName"], newest)
    assert len(found) == len(names) == 470 and {i["HubContentName"] for i in found} == names
    # the first page was full: the rest came from sub-windows asked at once, not from NextToken pages
    assert all(token is None for _, token in asked) and len({w for w, _ in asked}) == len(asked) > 5
    assert len(asked) < 2 * -(-len(names) // 100) + 8  # about one call per 80 models


def test_search_windows_bring_every_version_once(reader):
    records = every(lambda t: reader.search_page("Model", Window(), t))
    arns = {r["HubContentArn"] for r in records}
    times = [epoch(r["CreationTime"]) for r in records[:100]]  # a sample, as page 1 gives
    seen: list[list[dict]] = []
    with ThreadPoolExecutor(16) as pool:
        found = fan_out(pool, lambda w, t: reader.search_page("Model", w, t), sampled(times),
                        lambda r: r["HubContentArn"], max(times), seen.append)  # fmt: skip
    assert {r["HubContentArn"] for window in found for r in window} == arns
    assert sum(len(w) for w in found) == len(arns) > 470  # disjoint windows; older versions too
    assert {r["HubContentArn"] for page in seen for r in page} == arns  # every page went through ``each``


def test_rest_of_a_full_page():
    page = [1000.0 + i for i in range(100)]  # one model a second
    parts = rest(Window(None, 1400.0), page, None)
    assert parts[0].after == 1098.0 and parts[-1].before == 1400.0  # from the page's last second on
    assert all(a.before - 1 == b.after for a, b in itertools.pairwise(parts))  # contiguous
    assert len(parts) == 4  # ~300 more models at this density, 80 a window
    assert rest(Window(None, None), page, 1400.0)[-1].before is None  # the newest window stays open
    assert rest(Window(None, None), page, None) == []  # no upper bound known: NextToken
    assert rest(Window(None, 1400.0), page[::-1], None) == []  # not in creation-time order
    assert rest(Window(1098.0, 1400.0), [1099.0] * 100, None) == []  # no progress: NextToken
