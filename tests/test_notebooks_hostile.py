"""Hub text in generated notebooks stays inert: the escaping filters with hostile values, and whole notebooks
whose code has the same shape (the same statements) whatever a hub puts in its free-text fields."""

from __future__ import annotations

import ast
import copy

import pytest
from doc_support import hostile_llama_doc, sdk_document
from hostile import PAYLOADS, StartTags
from markdown_it import MarkdownIt

from jumpstart_lab.notebooks.context import build_context
from jumpstart_lab.notebooks.render import code, comment, md, py, render_notebook

HOSTILE = [
    *PAYLOADS,
    'it\'s "quoted" and \'\'\'tripled\'\'\' and """tripled"""',
    "line one\nline two\r\nline three\rfour",
    '"""\nimport os\nos.system(\'id\')\n"""',
    "{{ config }} {% raw %} ${HOME} $(rm -rf ~) `id` ; | & > /tmp/x",
    "before\u2028after\u2029end\x85nel\x0bvt\x0cff",
    "# not a heading\n```python\nimport os\n```\n[x](javascript:alert(1))",
    "\\'; import os; '",
    "x" * 3000,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_py_is_one_literal_that_gives_the_value_back(value: str) -> None:
    literal = py(value)
    tree = ast.parse(f"X = {literal}")
    assert len(tree.body) == 1 and ast.literal_eval(literal) == value
    nested = {"a": [value, {"b": value}]}
    assert ast.literal_eval(py(nested, indent=8)) == nested


@pytest.mark.parametrize("value", HOSTILE)
def test_md_code_and_comment_stay_on_one_line_and_inert(value: str) -> None:
    for out in (md(value), code(value), comment(value)):
        assert len(out.splitlines()) <= 1, out  # no line break of any kind (str.splitlines knows them all)
    assert "`" not in code(value)
    tree = ast.parse(f"x = 1  # {comment(value)}\n")
    assert len(tree.body) == 1  # the comment never ends early
    rendered = MarkdownIt("commonmark", {"html": True}).render(f"- **Model:** {md(value)}")
    parser = StartTags()
    parser.feed(rendered)
    assert [tag for tag, _ in parser.found] == ["ul", "li", "strong"], rendered  # no tag, link or code from the hub


def _shape(source: str) -> str:
    """The code's statements with every constant blanked: what a hub's text must never change."""

    class Blank(ast.NodeTransformer):
        def visit_Constant(self, node: ast.Constant) -> ast.Constant:
            return ast.Constant(value=None)

        def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
            return ast.Constant(value=None)

    return ast.dump(Blank().visit(ast.parse(source)))


def _doc(text: str):
    """The fixture model with ``text`` in every free-text field a hub controls."""
    d = copy.deepcopy(sdk_document())
    d["Provider"] = f"Meta {text}"
    d["License"] = f"Llama 2 {text}"
    for h in d["Hyperparameters"]:
        h["Description"] = f"about {text}"
        if h.get("Type") == "text" and not h.get("Options"):
            h["Default"] = f"value {text}"
    d["ContextualHelp"] = {"HubFormatTrainData": [f"help {text}"], "HubDefaultTrainData": [f"data {text}"]}
    doc = hostile_llama_doc(**d)
    return doc.model_copy(update={"display_name": f"Llama {text}", "description": f"About {text}"})


@pytest.mark.parametrize("action", ["deploy", "train", "evaluate"])
@pytest.mark.parametrize("run_on", ["aws", "local", "aws-or-local"])
def test_hostile_hub_text_never_changes_what_a_notebook_runs(action: str, run_on: str) -> None:
    def render(text: str):
        ctx = build_context(
            _doc(text), action=action, sdk="v3", region="us-west-2", acceptance=None, endpoint_name=None, run_on=run_on
        )
        return render_notebook(ctx)

    benign = render("plain words")
    for value in HOSTILE:
        nb = render(value)
        assert [c.cell_type for c in nb.cells] == [c.cell_type for c in benign.cells], value
        for mine, theirs in zip(nb.cells, benign.cells):
            if mine.cell_type == "code":
                assert _shape(mine.source) == _shape(theirs.source), (value, mine.source[:2000])
            else:
                parser, base = StartTags(), StartTags()
                parser.feed(MarkdownIt("commonmark", {"html": True}).render(mine.source))
                base.feed(MarkdownIt("commonmark", {"html": True}).render(theirs.source))
                assert [t for t, _ in parser.found] == [t for t, _ in base.found], (value, mine.source[:2000])
