"""A single label as SVG: real text (searchable, crisp at any zoom) and the QR as one path.

The Chinese text is set in the viewer's CJK fonts (the family list below covers Linux, Windows,
macOS and Android); no font is embedded, which keeps the file a few kilobytes.
"""

from xml.sax.saxutils import escape

from labels.layout import LabelLayout, estimated_width
from labels.qr import QUIET_ZONE_MODULES, dark_runs, make_qr, modules_across

FONT_FAMILY = (
    "'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', "
    "'PingFang SC', SimHei, sans-serif"
)


def _qr_path(layout: LabelLayout) -> str:
    qr = make_qr(layout.uri)
    modules = modules_across(qr)
    module = layout.qr.size / modules
    origin_x = layout.qr.x + QUIET_ZONE_MODULES * module
    origin_y = layout.qr.y + QUIET_ZONE_MODULES * module
    commands = " ".join(
        f"M{origin_x + column * module:.3f} {origin_y + row * module:.3f}"
        f"h{length * module:.3f}v{module:.3f}h{-length * module:.3f}z"
        for row, column, length in dark_runs(qr)
    )
    return f'<path fill="#000" shape-rendering="crispEdges" d="{commands}"/>'


def render_svg(layout: LabelLayout) -> bytes:
    """The label as a standalone SVG document sized in millimetres."""
    width, height = layout.size.width_mm, layout.size.height_mm
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm"'
        f' viewBox="0 0 {width} {height}">',
        f"<title>{escape(layout.uri)}</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<g font-family="{FONT_FAMILY}" fill="#000">',
    ]
    for box in layout.texts:
        # Squeeze a line that would overflow its column instead of letting it run on.
        squeeze = ""
        if estimated_width(box.text, box.size) > box.max_width:
            squeeze = f' textLength="{box.max_width:.2f}" lengthAdjust="spacingAndGlyphs"'
        weight = ' font-weight="bold"' if box.bold else ""
        parts.append(
            f'<text x="{box.x:.2f}" y="{box.baseline:.2f}" font-size="{box.size:.2f}"'
            f"{weight}{squeeze}>{escape(box.text)}</text>"
        )
    parts.append("</g>")
    parts.append(_qr_path(layout))
    parts.append("</svg>")
    return "\n".join(parts).encode()
