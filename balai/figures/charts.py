"""Bar charts as SVG text, drawn on the server: no chart library, no script, a few KB each.

Each chart names itself for screen readers (a <title> and a <desc>), labels every bar with its
number, and colours its series from one palette through presentation attributes (the strict CSP
allows no style attributes). One <path> per series keeps a chart of many bars small."""
from markupsafe import Markup, escape

WIDTH = 640
PALETTE = ("#1f5f8b", "#d9822b", "#3f8f4f", "#a23b72", "#6b5b95", "#8c6d1f", "#4d4d4d")
LEGEND_ROW = 22
FONT = 'font-family="sans-serif" font-size="12"'


def svg(key, title, desc, height, body):
    """The chart's frame: its size, what it shows in words, and its parts."""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{key}-t {key}-d" {FONT}>'
        f'<title id="{key}-t">{escape(title)}</title><desc id="{key}-d">{escape(desc)}</desc>'
        f'{"".join(body)}</svg>')


def legend(names):
    """A coloured square and the name of each series, in rows across the top."""
    parts, x, y = [], 0, 4
    for colour, name in zip(PALETTE, names):
        width = 24 + 7 * len(name)
        if x and x + width > WIDTH:
            x, y = 0, y + LEGEND_ROW
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16}" y="{y + 11}">{escape(name)}</text>')
        x += width
    return parts, y + LEGEND_ROW + 6


def stacked_columns(key, title, desc, labels, series):
    """A column per label (a month, a step), its series stacked, its total written on top.

    `series` is [(name, [value per label])]."""
    parts, top = legend([name for name, _ in series])
    plot, step = 180, WIDTH / max(len(labels), 1)
    width = max(step * 0.7, 4)
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    scale = plot / max(max(totals, default=0), 1)
    base = top + 16 + plot
    bottoms = [base] * len(labels)
    for colour, (name, values) in zip(PALETTE, series):
        shapes = []
        for i, value in enumerate(values):
            if value:
                height = value * scale
                bottoms[i] -= height
                shapes.append(f"M{i * step + (step - width) / 2:.0f} {bottoms[i]:.1f}"
                              f"h{width:.0f}v{height:.1f}h-{width:.0f}z")
        if shapes:
            parts.append(f'<path fill="{colour}" d="{"".join(shapes)}"><title>{escape(name)}'
                         f'</title></path>')
    for i, (label, total) in enumerate(zip(labels, totals)):
        middle = i * step + step / 2
        parts.append(f'<text x="{middle:.0f}" y="{bottoms[i] - 4:.0f}" text-anchor="middle">'
                     f'{total}</text><text x="{middle:.0f}" y="{base + 16}" '
                     f'text-anchor="middle">{escape(label)}</text>')
    return svg(key, title, desc, base + 24, parts)


def grouped_bars(key, title, desc, labels, series, shown=str):
    """A group of horizontal bars per label (written above the group), one bar per series,
    each with its value written after it by `shown`. `series` is [(name, [value or None])]."""
    parts, y = legend([name for name, _ in series])
    plot = WIDTH - 90
    largest = max((v for _, values in series for v in values if v), default=0)
    scale = plot / (largest or 1)
    for i, label in enumerate(labels):
        parts.append(f'<text x="0" y="{y + 12}" font-weight="bold">{escape(label)}</text>')
        y += 18
        for colour, (name, values) in zip(PALETTE, series):
            value = values[i]
            length = (value or 0) * scale
            parts.append(f'<rect x="0" y="{y}" width="{length:.1f}" height="14" fill="{colour}">'
                         f'<title>{escape(name)}</title></rect><text x="{length + 4:.1f}" '
                         f'y="{y + 12}">{escape(shown(value))}</text>')
            y += 18
        y += 8
    return svg(key, title, desc, y, parts)
