"""Stopping the server while the catalog is busy fetching documents returns (no deadlock)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from service_support import own_service

from jumpstart_lab.aws.session import AwsContext, AwsSettings
from jumpstart_lab.browse.catalog import Catalog
from jumpstart_lab.browse.models import ModelQuery
from jumpstart_lab.errors import ServiceUnavailable


@pytest.fixture(scope="module")
def big_service() -> Iterator[str]:
    """1,070 public models: submitting their document fetches takes long enough to race with close()."""
    yield from own_service(JUMPSTART_LAB_LOCAL_EXTRA_MODELS="1000")


@pytest.mark.parametrize("delay", [0.2, 0.4, 0.6, 0.8, 1.0])
def test_close_while_fetching_documents_returns(big_service: str, delay: float) -> None:
    """A guard, not a reproduction: the deadlock seen once in CI (close() cancelling futures whose
    callbacks wait for a lock held by a submitting worker) is a narrow race."""
    catalog = Catalog(AwsContext(AwsSettings(endpoint_url=big_service, local=True)), local=True)
    # A filter on a document-only fact makes the catalog fetch every public document in the background.
    failures: list[BaseException] = []

    def browse() -> None:
        try:
            catalog.search("SageMakerPublicHub", ModelQuery(gated=True))
        except BaseException as exc:  # examined below
            failures.append(exc)

    worker = threading.Thread(target=browse, daemon=True)
    worker.start()
    worker.join(delay)
    closer = threading.Thread(target=catalog.close, daemon=True)
    closer.start()
    closer.join(30)
    assert not closer.is_alive(), "Catalog.close() hung while documents were being fetched"
    worker.join(30)
    # A search cut short by close() fails with the clean "server is stopping" error, never a RuntimeError.
    for exc in failures:
        assert isinstance(exc, ServiceUnavailable) and exc.code == "ServerStopping", repr(exc)
