"""axe-core (vendored, pinned: vendor/README.md) run in a Playwright page, and the page-width check.

axe is evaluated through the DevTools protocol, not added as a script tag: the product's
Content-Security-Policy allows no inline script, and the test must not weaken it to look.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
BLOCKING = ("serious", "critical")

_RUN = """async () => {
  const result = await window.axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "")),
  }));
}"""


@cache
def axe_source() -> str:
    data = AXE.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert digest == AXE_SHA256, f"{AXE} is not the pinned axe-core {AXE_VERSION} (sha256 {digest})"
    return data.decode("utf-8")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical violations axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    assert page.evaluate("() => window.axe.version") == AXE_VERSION
    found: list[dict[str, Any]] = page.evaluate(_RUN)
    return [v for v in found if v["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations
    )


def horizontal_overflow(page: Any) -> dict[str, Any] | None:
    """None when the page fits its viewport's width; else the widths and the widest offenders."""
    return page.evaluate(
        """() => {
      const root = document.scrollingElement;
      if (root.scrollWidth <= root.clientWidth) { return null; }
      const wide = [];
      for (const el of document.querySelectorAll("body *")) {
        const r = el.getBoundingClientRect();
        if (r.right > root.clientWidth + 1) {
          const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
          const cls = typeof el.className === "string" && el.className ? "." + el.className : "";
          wide.push(name + cls + " right=" + Math.round(r.right));
        }
      }
      return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 8)};
    }"""
    )
