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


def series_paths(shapes, names):
    """One <path> per series (its bars, "M x y h w v h h -w z" each), named by its <title>."""
    return [f'<path fill="{colour}" d="{"".join(bars)}"><title>{escape(name)}</title></path>'
            for colour, name, bars in zip(PALETTE, names, shapes) if bars]


def bar(x, y, width, height):
    return f"M{x:.0f} {y:.0f}h{width:.0f}v{height:.0f}h{-width:.0f}z"


def stacked_columns(key, title, desc, labels, series):
    """A column per label (a month, a step), its series stacked, its total written on top;
    with many columns, every few is labelled. `series` is [(name, [value per label])]."""
    names = [name for name, _ in series]
    parts, top = legend(names)
    plot, step = 180, WIDTH / max(len(labels), 1)
    width = min(max(step * 0.7, 4), 72)
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    scale = plot / max(max(totals, default=0), 1)
    base = top + 16 + plot
    bottoms = [float(base)] * len(labels)
    shapes = []
    for _, values in series:
        shapes.append([])
        for i, value in enumerate(values):
            if value:
                bottoms[i] -= value * scale
                shapes[-1].append(bar(i * step + (step - width) / 2, bottoms[i], width,
                                      value * scale))
    parts += series_paths(shapes, names)
    every = -(-len(labels) // 12)  # at most twelve labels fit across
    texts = [f'<text x="{i * step + step / 2:.0f}" y="{bottoms[i] - 4:.0f}">{total}</text>'
             for i, total in enumerate(totals)]
    texts += [f'<text x="{i * step + step / 2:.0f}" y="{base + 16}">{escape(label)}</text>'
              for i, label in enumerate(labels) if i % every == 0]
    parts.append(f'<g text-anchor="middle">{"".join(texts)}</g>')
    return svg(key, title, desc, base + 24, parts)


def grouped_bars(key, title, desc, labels, series, shown=str, top=None):
    """A group of horizontal bars per label (written above the group), one bar per series,
    each with its value written after it by `shown`; the longest bar is `top` (by default the
    largest value). `series` is [(name, [value or None])]."""
    names = [name for name, _ in series]
    parts, y = legend(names)
    top = top or max((v for _, values in series for v in values if v), default=0)
    scale = (WIDTH - 90) / (top or 1)
    shapes, texts = [[] for _ in series], []
    for i, label in enumerate(labels):
        texts.append(f'<text x="0" y="{y + 12}" font-weight="bold">{escape(label)}</text>')
        y += 18
        for shape, (_, values) in zip(shapes, series):
            length = (values[i] or 0) * scale
            shape.append(bar(0, y, length, 14))
            value = "–" if values[i] is None else shown(values[i])
            texts.append(f'<text x="{length + 4:.0f}" y="{y + 12}">{escape(value)}</text>')
            y += 18
        y += 8
    return svg(key, title, desc, y, parts + series_paths(shapes, names) + texts)
