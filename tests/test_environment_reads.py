"""Every read of the process environment is in `config.py` (issue 17 item 7).

Settings come from one place: the `Settings` object, and the few named functions beside it in
`config.py` for what is not a setting (the datasets folder, a credential a `--*-env` option names, a
child process's environment). Anywhere else in the package, reading `os.environ` or calling
`os.getenv` fails this test. Writing a variable for this process's children (`os.environ[k] = v`,
`del os.environ[k]`) is not a read and is allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "socialdesk"
ALLOWED = {PACKAGE / "config.py"}
_NAMES = {"environ", "environb", "getenv", "getenvb"}


def environment_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) for each read of the environment in `source`."""
    tree = ast.parse(source)
    os_names = {"os"}  # `import os as system` too
    direct: set[str] = set()  # `from os import environ, getenv`
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            os_names |= {a.asname or a.name for a in node.names if a.name == "os"}
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            direct |= {a.asname or a.name for a in node.names if a.name in _NAMES}
    writes: set[int] = set()  # the `os.environ` nodes that are only assigned into or deleted from
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
            writes.add(id(node.value))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in writes:
            continue
        if (
            isinstance(node, ast.Attribute)
            and node.attr in _NAMES
            and isinstance(node.value, ast.Name)
            and node.value.id in os_names
        ):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Name) and node.id in direct and isinstance(node.ctx, ast.Load):
            found.append((node.lineno, node.id))
    return sorted(found)


@pytest.mark.parametrize(
    "source",
    [
        "import os\nx = os.environ.get('A')",
        "import os\nx = os.getenv('A', 'b')",
        "import os\nx = os.environ['A']",
        "import os\nif 'A' in os.environ: pass",
        "import os\nenv = {**os.environ, 'A': '1'}",
        "import os\nos.environ.setdefault('A', '1')",
        "import os as system\nx = system.environ.get('A')",
        "from os import environ\nx = environ['A']",
        "from os import getenv as g\nx = g('A')",
        "import os\ndef f():\n    return dict(os.environ)",
    ],
)
def test_each_way_of_reading_the_environment_is_found(source: str) -> None:
    assert environment_reads(source), source


@pytest.mark.parametrize(
    "source",
    [
        "import os\nos.environ['A'] = '1'",
        "import os\ndel os.environ['A']",
        "import os\nx = os.getcwd()",
        "environ = {}\nx = environ.get('A')",  # not the os one
    ],
)
def test_writes_and_other_names_are_not_reads(source: str) -> None:
    assert environment_reads(source) == []


def test_the_package_reads_the_environment_only_in_config() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 100  # the package was found
    reads = [
        f"{path.relative_to(PACKAGE.parents[1])}:{line}: {what}"
        for path in files
        if path not in ALLOWED
        for line, what in environment_reads(path.read_text(encoding="utf-8"))
    ]
    assert not reads, (
        "the environment is read outside src/socialdesk/config.py; add a setting to `Settings` or a "
        "named function beside it (and a line in docs/settings.md):\n" + "\n".join(reads)
    )
