"""Tiny generated SVG pictures standing in for the survey photos."""

from __future__ import annotations

import hashlib
from html import escape

from .models import ImageItem

_COLOURS = {
    "pole": "#6b8e23",
    "bridge": "#4682b4",
    "rust": "#b7410e",
    "crack": "#808080",
    "vegetation": "#228b22",
    "roof": "#8b4513",
    "drainage": "#1e90ff",
    "transformer": "#daa520",
    "pavement": "#2f4f4f",
}
SIZES = {"thumb": (160, 120), "medium": (480, 360), "full": (1024, 768)}


def render_svg(image: ImageItem, size: str = "thumb") -> str:
    """A deterministic SVG: category colour, a few shapes seeded by the id, the title."""
    width, height = SIZES[size]
    colour = _COLOURS.get(image.category, "#555555")
    seed = hashlib.sha256(image.id.encode()).digest()
    shapes = []
    for n in range(4):
        x = seed[n] * width // 256
        y = seed[n + 4] * height // 256
        r = 6 + seed[n + 8] * min(width, height) // 1024
        shapes.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="#ffffff" fill-opacity="0.25"/>')
    font = max(10, height // 12)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
        f'<rect width="{width}" height="{height}" fill="{colour}"/>'
        + "".join(shapes)
        + f'<text x="8" y="{height - 10}" font-family="sans-serif" font-size="{font}" '
        f'fill="#ffffff">{escape(image.category)}</text>'
        f"<title>{escape(image.title)}</title></svg>"
    )
