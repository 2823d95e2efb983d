"""The import contracts of pyproject.toml's [tool.importlinter] hold (issue 17 item 7).

`make lint` runs `lint-imports` before the suite; this runs the same check inside the suite, so a
contract broken by a change fails `pytest` too, with import-linter's report of the offending imports.
docs/architecture.md draws the layers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_import_contracts_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    code = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert "BROKEN" not in report and code == 0, report
    for contract in ("Layers", "pure core", "Actions take ports", "never storage"):
        assert contract in report  # each contract was checked
