"""What-if for the browse benchmark: the local service with every list-page fact in the summaries.

Runs ``jumpstart-lab local`` after adding ``@license:``, ``@gated:``, ``@trainable:``,
``@model-type:`` and ``@inference-instance:`` search keywords (derived from each model's
document, so they agree with it) to the demo catalog's ``@task:/@framework:/@provider:``
keywords. With them the catalog needs no DescribeHubContent for the list page or the facets.
Usage: ``python benchmarks/summary_facts.py --port 0 --ready-file PATH`` (as ``jumpstart-lab local``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jumpstart_lab.browse.entries import document_facts
from jumpstart_lab.cli import main
from jumpstart_lab.local import catalog

_keywords = catalog.keywords


def keywords(entry: Any) -> list[str]:
    facts = document_facts(catalog.build_document(entry, entry.latest, "us-west-2"))
    words = [f"@license:{facts['license']}", f"@gated:{str(facts['gated']).lower()}",
             f"@trainable:{str(facts['trainable']).lower()}", f"@model-type:{facts['model_type']}"]  # fmt: skip
    return _keywords(entry) + words + [f"@inference-instance:{t}" for t in sorted(facts["instance_types"])]


catalog.keywords = keywords

if __name__ == "__main__":
    sys.exit(main(["local", *sys.argv[1:]]))
