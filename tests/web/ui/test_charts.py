"""SVG charts: well-formed XML, every label escaped, colours only from fixed classes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from socialdesk.web.ui.charts import Bar, Series, bar_chart, line_chart, number, short

HOSTILE = '<script>alert("x")</script> & "quotes" \'single\''
SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed
    return [el.text or "" for el in root.iter() if el.tag in (f"{SVG}text", f"{SVG}title")]


def test_bar_chart_escapes_monitor_names() -> None:
    svg = bar_chart(f"Voice {HOSTILE}", [Bar(HOSTILE, 3, "brand", "60%"), Bar("Rival", 2, HOSTILE)])
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    texts = _texts(svg)
    assert f"Voice {HOSTILE}" in texts  # the title, intact once unescaped
    assert short(HOSTILE) in texts
    assert "3 (60%)" in texts
    assert 'class="bar bar-brand"' in svg
    assert 'class="bar bar-other"' in svg  # an unknown kind never reaches a class name


def test_line_chart_escapes_series_and_labels_and_leaves_gaps() -> None:
    svg = line_chart(HOSTILE, ["09:00", "<b>10:00</b>", "11:00"], [Series(HOSTILE, [1.0, None, 3.0])])
    assert "<script" not in svg
    assert "<b>" not in svg
    texts = _texts(svg)
    assert HOSTILE in texts
    assert "<b>10:00</b>" in texts
    root = ET.fromstring(svg)  # noqa: S314
    [path] = list(root.iter(f"{SVG}path"))
    assert path.get("d", "").count("M") == 2  # a gap at the missing value
    assert len(list(root.iter(f"{SVG}circle"))) == 2


def test_empty_charts_say_so() -> None:
    assert "No data" in line_chart("t", [], [])
    assert "No data" in line_chart("t", ["a"], [Series("s", [None])])
    assert "No data" in bar_chart("t", [])


def test_numbers_are_short() -> None:
    assert [number(v) for v in (0, 12, 3.5, 0.25, -0.1, 1200, 25_000, 12.34)] == [
        "0", "12", "3.5", "0.25", "-0.1", "1.2k", "25k", "12.3",
    ]  # fmt: skip
