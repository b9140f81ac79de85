"""Render notebook templates (Jinja2, percent format) into an nbformat v4 notebook.

Templates live in ``templates/``; ``# %%`` starts a code cell and ``# %% [markdown]`` a
Markdown cell. Every ``{{ value }}`` must pass through a filter that makes it safe for
where it lands — ``py`` (a Python literal), ``md`` (escaped Markdown), ``code`` (a code span) or ``comment``
(one line of a Python comment); an unfiltered value is a rendering error, so nothing from
a hub document or a request reaches a notebook unescaped.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import platform
import pprint
import re
from pathlib import Path
from typing import Any

import jinja2
import nbformat
from nbformat import v4

from .context import NotebookContext

TEMPLATES = Path(__file__).with_name("templates")
CELL_MARK = re.compile(r"^# %%(?: \[(markdown)\])?[ \t]*$", re.MULTILINE)
#: controls, line breaks of any kind (also those str.splitlines and editors honour) and direction overrides
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|~])")


class Safe(str):
    """Text already escaped for its place in a cell."""


def py(value: Any, indent: int = 0) -> Safe:
    """A Python literal for plain data (str, numbers, bools, None, lists, dicts).

    ``indent``: the column the literal starts at inside a template line; continuation lines are indented to it.
    """
    _check_literal(value)
    text = pprint.pformat(value, width=max(100 - indent, 40), sort_dicts=False)
    return Safe(text.replace("\n", "\n" + " " * indent))


def _check_literal(value: Any) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _check_literal(k)
            _check_literal(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _check_literal(v)
    elif not (value is None or isinstance(value, (str, bool, int, float))):
        raise TypeError(f"not a literal: {type(value).__name__}")


def md(value: Any) -> Safe:
    """One line of Markdown text with HTML and Markdown syntax neutralised."""
    text = CONTROL.sub(" ", "" if value is None else str(value)).strip()
    return Safe(MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)))


def code(value: Any) -> Safe:
    """Text inside a Markdown code span (no backticks, one line)."""
    return Safe(CONTROL.sub(" ", "" if value is None else str(value)).replace("`", "'").strip())


def comment(value: Any) -> Safe:
    """Text that stays inside one Python comment line."""
    return Safe(CONTROL.sub(" ", "" if value is None else str(value)).strip())


def _finalize(value: Any) -> Any:
    if isinstance(value, Safe):
        return value
    raise TypeError(f"template output {value!r} must go through |py, |md, |code or |comment")


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(  # noqa: S701 - output is code/Markdown; escaping is enforced by _finalize
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(py=py, md=md, code=code, comment=comment)
    return env


def split_cells(text: str) -> list[nbformat.NotebookNode]:
    """Percent-format text to cells (empty cells dropped)."""
    cells = []
    marks = list(CELL_MARK.finditer(text))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        source = text[mark.end() : end].strip("\n").rstrip()
        if not source.strip():
            continue
        tags: list[str] = []
        tag = re.match(r"^# tags: ([a-z, -]+)\n", source)
        if tag:
            tags = [t.strip() for t in tag[1].split(",") if t.strip()]
            source = source[tag.end() :]
        cell = v4.new_markdown_cell(source) if mark[1] == "markdown" else v4.new_code_cell(source)
        if tags:
            cell.metadata["tags"] = tags
        cells.append(cell)
    return cells


def language_info() -> dict[str, object]:
    """What ipykernel reports for this Python: JupyterLab writes the kernel's ``language_info`` into
    the notebook when it connects, so a notebook that already has it opens unmodified (no "●")."""
    return {
        "name": "python",
        "version": platform.python_version(),
        "mimetype": "text/x-python",
        "codemirror_mode": {"name": "ipython", "version": 3},
        "pygments_lexer": "ipython3",
        "nbconvert_exporter": "python",
        "file_extension": ".py",
    }


def render_notebook(context: NotebookContext) -> nbformat.NotebookNode:
    """The notebook for ``context``; cell ids are derived from the content, so output is deterministic."""
    text = environment().get_template(f"{context.action}.py.j2").render(**dataclasses.asdict(context))
    nb = v4.new_notebook()
    nb.cells = split_cells(text)
    for i, cell in enumerate(nb.cells):
        cell.id = hashlib.sha256(f"{i}\0{cell.source}".encode()).hexdigest()[:12]
    nb.metadata.update(
        {
            "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
            "language_info": language_info(),
            "jumpstart_lab": {
                "hub_arn": context.hub_arn,
                "model_id": context.model_id,
                "version": context.version,
                "action": context.action,
                "sdk": context.sdk,
                "accepted_by": context.accepted_by,  # a gated model's notebook is the accepting user's
            },
        }
    )
    nbformat.validate(nb)
    return nb
