"""The project documents itself: docs/ exists, its links and paths hold, and nothing
points at briefing files that are not part of the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
REQUIRED_DOCS = ("clinical-knowledge.md", "architecture.md")

# Built from pieces so that this file does not itself name them.
FORBIDDEN = tuple(
    name.encode()
    for name in ("CLINICAL" + ".md", "DESIGN" + ".md", "STYLE" + ".md", "../" + "shared")
)

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REPO_PATH = re.compile(r"(?:resources|src|docs|tests)/[A-Za-z0-9_./-]*")


def _tracked_files() -> list[Path]:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listing = subprocess.run(
        [git, "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    names = [name for name in listing.decode("utf-8").split("\0") if name]
    return [ROOT / name for name in names]


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def _without_code_blocks(text: str) -> str:
    return _FENCE.sub("", text)


def test_no_file_refers_to_briefing_files_outside_the_repository() -> None:
    found: list[str] = []
    for path in _tracked_files():
        if not path.is_file():  # deleted in the working tree, not yet committed
            continue
        data = path.read_bytes()
        for name in FORBIDDEN:
            if name in data:
                line = data[: data.index(name)].count(b"\n") + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {name.decode()}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", REQUIRED_DOCS)
def test_required_documents_exist(name: str) -> None:
    path = DOCS / name
    assert path.is_file(), f"docs/{name} is missing"
    assert path.read_text(encoding="utf-8").startswith("# ")


def _relative_links(text: str) -> list[str]:
    targets: list[str] = []
    for target in _LINK.findall(_without_code_blocks(text)):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("#"):
            continue  # a URL (https:, mailto:) or an anchor in the same page
        targets.append(target.split("#", 1)[0])
    return targets


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_to_existing_files(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    broken = [target for target in _relative_links(text) if not (path.parent / target).exists()]
    assert not broken, f"{path.relative_to(ROOT)}: broken links {broken}"


def _named_paths(text: str) -> list[str]:
    # Only a code span that is a plain path counts: "resources/consent/" is checked,
    # "rules/<treatment>.yaml" or a command line with a path in it is not.
    names: list[str] = []
    for _, span in _INLINE_CODE.findall(_without_code_blocks(text)):
        span = span.strip()
        if _REPO_PATH.fullmatch(span):
            names.append(span)
    return names


def test_paths_named_in_the_clinical_knowledge_document_exist() -> None:
    text = (DOCS / "clinical-knowledge.md").read_text(encoding="utf-8")
    names = _named_paths(text)
    assert names, "expected the document to name the knowledge base's files"
    missing = [name for name in names if not (ROOT / name).exists()]
    assert not missing, f"docs/clinical-knowledge.md names missing paths: {missing}"


def test_the_link_and_path_scanners_see_what_they_should() -> None:
    sample = (
        "See [a](docs/a.md#part), [b](https://example.org), [c](#here) and"
        " ![d](img/d.png).\n```sh\n[e](not/a/link.md) `src/in/a/block.py`\n```\n"
        "`resources/knowledge/` and `src/x.py --flag` and `rules/<id>.yaml`"
    )
    assert _relative_links(sample) == ["docs/a.md", "img/d.png"]
    assert _named_paths(sample) == ["resources/knowledge/"]
