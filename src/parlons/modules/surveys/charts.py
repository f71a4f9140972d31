"""Accessible SVG charts drawn on the server: no script, no third-party request.

Each chart is an ``<svg role="img">`` with a ``<title>`` naming what it shows; the page
puts the same numbers in a table next to it, which is what screen readers read.
Colours have at least 4.5:1 contrast with the white background.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

BAR = "#1d4e89"
INK = "#1b1f24"
_ids = count(1)
WIDTH = 640


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    *, title: str, labels: Sequence[str], percentages: Sequence[float | None]
) -> SafeString:
    """Horizontal bars, one per option, with the percentage written at the end of each."""
    number = next(_ids)
    row = 38
    height = row * len(labels) + 8
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart-{number}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-{number}">{escape(title)}</title>',
    ]
    for index, (label, value) in enumerate(zip(labels, percentages, strict=True)):
        y = index * row
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="13" fill="{INK}">{escape(_short(label))}</text>'
        )
        if value is None or value != value:
            parts.append(f'<text x="0" y="{y + 31}" font-size="12" fill="{INK}">–</text>')
            continue
        width = max(1.0, (WIDTH - 70) * min(value, 100.0) / 100.0)
        parts.append(f'<rect x="0" y="{y + 18}" width="{width:.1f}" height="14" fill="{BAR}"/>')
        parts.append(
            f'<text x="{width + 6:.1f}" y="{y + 30}" font-size="12" fill="{INK}">{value:.1f} %</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def timeline_chart(*, title: str, labels: Sequence[str], counts: Sequence[int]) -> SafeString:
    """Vertical bars, one per day, with the first and last dates under the axis."""
    number = next(_ids)
    height, base = 160, 130
    peak = max(counts) if counts else 0
    step = WIDTH / max(1, len(counts))
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart-{number}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-{number}">{escape(title)}</title>',
        f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="{INK}" stroke-width="1"/>',
    ]
    for index, value in enumerate(counts):
        if peak and value:
            bar = 110 * value / peak
            parts.append(
                f'<rect x="{index * step + 1:.1f}" y="{base - bar:.1f}" width="{max(1.0, step - 2):.1f}" '
                f'height="{bar:.1f}" fill="{BAR}"/>'
            )
    if labels:
        parts.append(
            f'<text x="0" y="{base + 20}" font-size="12" fill="{INK}">{escape(labels[0])}</text>'
        )
        parts.append(
            f'<text x="{WIDTH}" y="{base + 20}" font-size="12" fill="{INK}" text-anchor="end">'
            f"{escape(labels[-1])}</text>"
        )
    if peak:
        parts.append(f'<text x="2" y="14" font-size="12" fill="{INK}">max {peak}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
