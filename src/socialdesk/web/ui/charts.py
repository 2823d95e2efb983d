"""Line and bar charts as SVG strings, rendered on the server (no script, no inline style).

Every piece of text (titles, labels, series and monitor names) is XML-escaped here, so the result may
be placed in a page as it is. Colours come from CSS classes chosen from fixed lists (``series-0`` ...,
``bar-brand`` ...), never from the data. Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

SERIES_CLASSES = ("series-0", "series-1", "series-2", "series-3")
BAR_KINDS = frozenset({"brand", "competitor"})
MAX_X_LABELS = 8
MAX_LABEL_CHARS = 28
_GRID_STEPS = 4


def xml_text(value: object) -> str:
    """Text safe inside an element or a double-quoted attribute."""
    return escape(str(value), {'"': "&quot;", "'": "&#x27;"})


def short(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """A label cut to ``limit`` characters (with an ellipsis); cut before escaping, never after."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def number(value: float) -> str:
    """`12`, `3.5`, `0.25`, `-0.1`, `1.2k`: short enough for an axis."""
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    if abs(value) >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return text.rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per x label; None leaves a gap


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    kind: str = ""  # brand or competitor: picks the CSS class; anything else is neutral
    note: str = ""  # shown after the value, e.g. "60%"


def _open(title: str, width: int, height: int, kind: str) -> list[str]:
    t = xml_text(title)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{t}">',
        f"<title>{t}</title>",
        f'<text class="chart-title" x="8" y="18">{t}</text>',
    ]


def _empty(parts: list[str], width: int, height: int) -> str:
    parts.append(f'<text class="chart-empty" x="{width / 2:.1f}" y="{height / 2:.1f}">No data</text>')
    parts.append("</svg>")
    return "".join(parts)


def _y_range(values: list[float], y_min: float | None, y_max: float | None) -> tuple[float, float]:
    low = y_min if y_min is not None else min([0.0, *values])
    high = y_max if y_max is not None else max([0.0, *values])
    if high <= low:
        high = low + 1
    return low, high


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_min: float | None = None,
    y_max: float | None = None,
    width: int = 640,
    height: int = 240,
) -> str:
    """Lines over shared x labels (time buckets), with a y grid, a legend and points."""
    left, right, top, bottom = 44, 12, 44, 28
    parts = _open(title, width, height, "line")
    present = [v for s in series for v in s.values if v is not None and math.isfinite(v)]
    if not labels or not present:
        return _empty(parts, width, height)
    low, high = _y_range(present, y_min, y_max)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (plot_w * i / (len(labels) - 1) if len(labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - (min(max(v, low), high) - low) / (high - low))

    for step in range(_GRID_STEPS + 1):
        value = low + (high - low) * step / _GRID_STEPS
        yy = y(value)
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}"/>')
        parts.append(f'<text class="axis y" x="{left - 6}" y="{yy + 4:.1f}">{xml_text(number(value))}</text>')
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    for i, text in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text class="axis x" x="{x(i):.1f}" y="{height - 8}">{xml_text(short(text, 12))}</text>'
            )
    for n, s in enumerate(series[: len(SERIES_CLASSES)]):
        css = SERIES_CLASSES[n]
        path: list[str] = []
        values = [v if v is not None and math.isfinite(v) else None for v in s.values[: len(labels)]]
        for i, v in enumerate(values):
            if v is None:
                continue
            command = "L" if i > 0 and values[i - 1] is not None else "M"
            path.append(f"{command}{x(i):.1f},{y(v):.1f}")
            parts.append(f'<circle class="point {css}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5"/>')
        if path:
            parts.append(f'<path class="line {css}" d="{" ".join(path)}"/>')
        lx = left + n * 150
        parts.append(f'<rect class="swatch {css}" x="{lx}" y="26" width="10" height="10"/>')
        parts.append(f'<text class="legend" x="{lx + 14}" y="35">{xml_text(short(s.name, 20))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(title: str, bars: Sequence[Bar], *, width: int = 640, row: int = 26) -> str:
    """Horizontal bars, one row each: label, bar, value."""
    label_w, value_w, top = 180, 90, 30
    height = top + row * max(len(bars), 1) + 8
    parts = _open(title, width, height, "bar")
    if not bars:
        return _empty(parts, width, height)
    peak = max((b.value for b in bars), default=0.0) or 1.0
    span = width - label_w - value_w
    for i, b in enumerate(bars):
        yy = top + i * row
        css = f"bar-{b.kind}" if b.kind in BAR_KINDS else "bar-other"
        w = max(0.0, span * b.value / peak)
        value = number(b.value) + (f" ({b.note})" if b.note else "")
        parts.append(
            f'<text class="bar-label" x="{label_w - 8}" y="{yy + 16}">{xml_text(short(b.label))}</text>'
        )
        parts.append(
            f'<rect class="bar {css}" x="{label_w}" y="{yy + 4}" width="{w:.1f}" height="{row - 8}"/>'
        )
        parts.append(
            f'<text class="bar-value" x="{label_w + w + 6:.1f}" y="{yy + 16}">{xml_text(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
