"""Write a notebook as a new file inside the server root, never overwriting anything.

The folder is resolved (symlinks followed) and must stay inside the root; the file is
created with ``O_CREAT | O_EXCL | O_NOFOLLOW``, so an existing file or a planted symlink
is never written through; a name that is taken gets the next free ``-N`` suffix.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

import nbformat

from ..errors import AccessDenied, InvalidInput

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")
MAX_SUFFIX = 1000


def notebook_folder(root_dir: Path, notebook_dir: str) -> Path:
    """``root_dir / notebook_dir``, created if needed, refused if it leaves the root."""
    root = Path(root_dir).resolve()
    rel = PurePosixPath(notebook_dir.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or any(p.startswith("~") for p in rel.parts):
        raise InvalidInput(f"The notebook folder {notebook_dir!r} must be a relative path inside the server root.")
    folder = root.joinpath(*rel.parts)
    _confine(folder, root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AccessDenied(f"Cannot create the notebook folder {notebook_dir!r}: {exc.strerror}.") from exc
    resolved = folder.resolve()
    _confine(resolved, root)
    if not resolved.is_dir():
        raise InvalidInput(f"The notebook folder {notebook_dir!r} is not a folder.")
    return resolved


def _confine(path: Path, root: Path) -> None:
    if not path.resolve().is_relative_to(root):
        raise AccessDenied("Generated notebooks must be written inside the Jupyter server root.", code="OutsideRoot")


#: what identifies the notebook written for a model: same hub, model, version, action and SDK (and, for a gated
#: model, the same accepting user: another user's notebook says someone else accepted the EULA)
IDENTITY = ("hub_arn", "model_id", "version", "action", "sdk", "accepted_by")
MAX_READ_BYTES = 5_000_000


def find_written(folder: Path, stem: str, identity: dict[str, object], root_dir: Path) -> str | None:
    """The newest ``folder/<stem>[-N].ipynb`` generated for ``identity`` (its ``jumpstart_lab`` metadata),
    as a path relative to the root; files that are not such notebooks (renamed, edited into something
    else, unreadable, symlinks) are left alone."""
    root = Path(root_dir).resolve()
    pattern = re.compile(re.escape(stem) + r"(?:-\d{1,4})?\.ipynb")
    wanted = {k: identity.get(k) for k in IDENTITY}
    found: list[tuple[float, Path]] = []
    for path in folder.iterdir():
        if not pattern.fullmatch(path.name) or path.is_symlink() or not path.is_file():
            continue
        try:
            if path.stat().st_size > MAX_READ_BYTES:
                continue
            meta = nbformat.read(path, as_version=4).metadata.get("jumpstart_lab") or {}
        except Exception:  # noqa: S112 - not a notebook we can read: not ours to reuse
            continue
        if {k: meta.get(k) for k in IDENTITY} == wanted:
            found.append((path.stat().st_mtime, path))
    if not found:
        return None
    return max(found)[1].relative_to(root).as_posix()


def write_new(nb: nbformat.NotebookNode, folder: Path, stem: str, root_dir: Path) -> str:
    """Write ``nb`` as ``folder/<stem>[-N].ipynb`` (a new file); returns its path relative to the root."""
    if not SAFE_NAME.fullmatch(stem):
        raise InvalidInput(f"{stem!r} is not a safe file name.")
    nbformat.validate(nb)
    data = nbformat.writes(nb, version=4).encode("utf-8")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    root = Path(root_dir).resolve()
    for n in range(MAX_SUFFIX):
        path = folder / (f"{stem}.ipynb" if n == 0 else f"{stem}-{n}.ipynb")
        try:
            fd = os.open(path, flags, 0o644)
        except FileExistsError:
            continue
        except OSError as exc:
            raise AccessDenied(f"Cannot write {path.name} in the notebook folder: {exc.strerror}.") from exc
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return path.relative_to(root).as_posix()
    raise InvalidInput(f"Too many notebooks named {stem}; remove some from the notebook folder.")
