"""The two matchers every agreement test runs: pure Python, and C (`native_plan`) wherever it can be built.

The C matcher is optional for users without a C compiler; a machine with one (CI included) must have
built it, so the C runs are never skipped there.
"""

from __future__ import annotations

import shutil

import pytest

from socialdesk.listening import native_plan

HAS_COMPILER = shutil.which("cc") is not None or shutil.which("gcc") is not None

MATCHER_KINDS = [
    pytest.param(False, id="python"),
    pytest.param(
        True,
        id="native",
        marks=pytest.mark.skipif(
            not native_plan.available() and not HAS_COMPILER,
            reason="no C compiler here, so the optional C matcher was not built",
        ),
    ),
]
