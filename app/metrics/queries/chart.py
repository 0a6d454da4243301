"""A series as an SVG line chart (pygal), for an intranet page with no JavaScript: one line per scope and a
dashed target line per scope with a target, Swedish labels and numbers ("1 234,5"). Its ETag is the digest of
what it draws, and the drawing is kept in-process by that ETag, so an unchanged chart is neither read twice by
a browser (304) nor drawn twice by the service."""

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

import pygal
from pygal.style import Style

from app.metrics.models import Gender, Unit
from app.metrics.queries.answers import computed
from app.metrics.queries.series import Figures

# Bump when the drawing changes, so that a browser's cached chart of the same data is not taken for the new one.
DRAWING_VERSION = "1"
CACHE_SIZE = 128
TARGET = "Målvärde"
UNIT_NAMES = {
    Unit.count: "Antal",
    Unit.percent: "Procent",
    Unit.sek: "Kronor",
    Unit.days: "Dagar",
    Unit.per_1000: "Per 1 000",
    Unit.ratio: "Kvot",
}
GENDER_NAMES = {Gender.total: "", Gender.female: " (kvinnor)", Gender.male: " (män)"}
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f1f1f",
    foreground_strong="#1f1f1f",
    foreground_subtle="#6b6b6b",
    font_family="Arial, Helvetica, sans-serif",
    title_font_size=20,
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    value_font_size=14,
    tooltip_font_size=14,
    # Distinct for readers with red-green colour blindness (Okabe & Ito).
    colors=("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"),
)


def swedish_number(value: float | Decimal | None, decimals: int) -> str:
    """1234.5 → "1 234,5": a space between thousands, a decimal comma; more decimals than the indicator's only
    where they are needed (an axis step of 0,5 on a chart of whole numbers)."""
    if value is None:
        return ""
    figure = Decimal(str(value))
    shown = decimals
    while shown < 4 and figure.quantize(Decimal(1).scaleb(-shown)) != figure.quantize(Decimal("0.0001")):
        shown += 1
    return f"{figure:,.{shown}f}".replace(",", " ").replace(".", ",")


@dataclass(frozen=True)
class Line:
    name: str
    values: list[float | None]
    dashed: bool


@dataclass(frozen=True)
class ChartData:
    """Everything the chart draws: its digest is the ETag."""

    title: str
    unit: str
    decimals: int
    labels: list[str]
    lines: list[Line]

    def etag(self) -> str:
        text = json.dumps([DRAWING_VERSION, asdict(self)], ensure_ascii=False, sort_keys=True)
        return f'"{hashlib.sha256(text.encode()).hexdigest()}"'


def _number(value: Decimal | None, decimals: int) -> float | None:
    """A figure as drawn: rounded to the indicator's decimals, as a reader is shown it."""
    return None if value is None else float(round(value, decimals))


def chart_data(figures: Figures, gender: Gender) -> ChartData:
    """The lines of a series: each scope's figures (reported or aggregated), and its target where it has one."""
    indicator = figures.indicator
    decimals = indicator.decimals
    lines: list[Line] = []
    targets: list[Line] = []
    for scope in figures.scopes:
        values = [_number(computed(figures, scope, p).value, decimals) for p in figures.periods]
        lines.append(Line(scope.name, values, dashed=False))
        goals = [figures.target(scope, p) for p in figures.periods]
        if any(goals):
            name = f"{TARGET} {scope.name}"
            targets.append(Line(name, [_number(g.value, decimals) if g else None for g in goals], dashed=True))
    if targets and len({tuple(t.values) for t in targets}) == 1 and len(targets) == len(lines):
        # One target for every scope (50 % in each sub-region): one line says it, where several would overlap.
        targets = [Line(TARGET, targets[0].values, dashed=True)]
    return ChartData(
        title=indicator.name + GENDER_NAMES[gender],
        unit=UNIT_NAMES[indicator.unit],
        decimals=indicator.decimals,
        labels=[p.text for p in figures.periods],
        lines=lines + targets,
    )


def _without_scripts(root: Any) -> Any:
    """pygal writes its configuration as a <script> whatever `js` says; an image for a page without JavaScript
    needs none."""
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def render(data: ChartData) -> str:
    def formatter(value: float | None) -> str:
        return swedish_number(value, data.decimals)

    chart = pygal.Line(
        style=_STYLE,
        width=800,
        height=450,
        explicit_size=True,
        title=data.title,
        y_title=data.unit,
        x_title="Period",
        js=[],
        disable_xml_declaration=True,
        value_formatter=formatter,
        legend_at_bottom=True,
        legend_at_bottom_columns=min(3, max(1, len(data.lines))),
        truncate_legend=-1,
        truncate_label=-1,
        x_label_rotation=45 if len(data.labels) > 12 else 0,
        show_minor_x_labels=len(data.labels) <= 24,
        dots_size=4,
        stroke_style={"width": 3},
        no_data_text="Inga värden",
        allow_interruptions=True,
    )
    chart.add_xml_filter(_without_scripts)
    chart.x_labels = data.labels
    for line in data.lines:
        style = {"width": 2, "dasharray": "8, 6"} if line.dashed else {"width": 3}
        chart.add(line.name, line.values, stroke_style=style, show_dots=not line.dashed)
    return str(chart.render(is_unicode=True))


_cache: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()


def drawn(data: ChartData, etag: str) -> str:
    """The SVG of `data`, drawn once and kept (the CACHE_SIZE most recently used) by its ETag."""
    with _lock:
        if etag in _cache:
            _cache.move_to_end(etag)
            return _cache[etag]
    svg = render(data)
    with _lock:
        _cache[etag] = svg
        _cache.move_to_end(etag)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return svg


def cache_size() -> int:
    return len(_cache)


def is_fresh(if_none_match: str | None, etag: str) -> bool:
    """Whether the client's copy is this one (If-None-Match compares weakly: W/"x" matches "x")."""
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or etag in tags
