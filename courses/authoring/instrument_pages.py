"""Preview pages of instrument modules: the questionnaire form and the engine's scores."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from clusterexcellence.engine import (
    Instrument,
    LabelReport,
    ResponseError,
    compile_instrument,
    score_answers,
)
from clusterexcellence.engine.items import MultipleChoiceItem

from ..loader import LoadedModule
from ..texts import pick
from .pages import fmt_score, md, module_url, page
from .ui import ui, ui_html


def instrument_page(module: LoadedModule, lang: str) -> str:
    """The instrument as one HTML form posting to ``.../score``."""
    ins: Instrument = module.model
    t = lambda x: pick(x, lang)  # noqa: E731
    fields = [_item_field(it, lang) for it in ins.items]
    body = (
        f"<h1>{md(t(ins.title), inline=True)}</h1>{md(t(ins.description))}"
        f'<form method="post" action="{module_url(module, lang, "score")}">'
        f'{"".join(fields)}<p><button type="submit">{ui_html("score_my_answers", lang)}'
        "</button></p></form>"
    )
    if ins.label is not None and ins.label.disclaimer:
        body += f"<p><small>{md(t(ins.label.disclaimer), inline=True)}</small></p>"
    return page(t(ins.title), body, lang=lang)


def _choices(item, lang: str, kind: str) -> list[str]:
    return [
        f'<label><input type="{kind}" name="{escape(item.id)}" value="{escape(o.id)}"> '
        f"{md(pick(o.text, lang), inline=True)}</label><br>"
        for o in item.options
    ]


def _likert_inputs(item, lang: str) -> list[str]:
    labels = [pick(lb, lang) for lb in item.labels] or [str(k) for k in range(1, item.points + 1)]
    return [
        f'<label><input type="radio" name="{escape(item.id)}" value="{k}"> {k}. '
        f"{md(lb, inline=True)}</label><br>"
        for k, lb in enumerate(labels, start=1)
    ]


def _situational_inputs(item, lang: str) -> list[str]:
    return [md(pick(item.scenario, lang)), *_choices(item, lang, "radio")]


def _numeric_inputs(item, lang: str) -> list[str]:
    unit = f" {md(pick(item.unit, lang), inline=True)}" if item.unit else ""
    bounds = "".join(
        f' {k}="{v:g}"' for k, v in (("min", item.min), ("max", item.max)) if v is not None
    )
    return [f'<input type="number" step="any" name="{escape(item.id)}"{bounds}>{unit}']


def _boolean_inputs(item, lang: str) -> list[str]:
    return [
        f'<label><input type="radio" name="{escape(item.id)}" value="{v}"> '
        f"{ui_html(v, lang)}</label> "
        for v in ("true", "false")
    ]


#: The form inputs of each item type (every type of the engine has one: a test checks).
FORM_FIELDS: dict[str, Callable[[Any, str], list[str]]] = {
    "likert": _likert_inputs,
    "single_choice": lambda item, lang: _choices(item, lang, "radio"),
    "situational": _situational_inputs,
    "multiple_choice": lambda item, lang: _choices(item, lang, "checkbox"),
    "numeric": _numeric_inputs,
    "boolean": _boolean_inputs,
}


def _item_field(item, lang: str) -> str:
    legend = md(pick(item.prompt, lang), inline=True)
    inputs = FORM_FIELDS[item.type](item, lang)  # KeyError: a type with no form field yet
    fields = "".join(inputs)
    return f'<fieldset id="item-{escape(item.id)}"><legend>{legend}</legend>{fields}</fieldset>'


def answers_from_form(ins: Instrument, form: dict[str, list[str]]) -> dict[str, object]:
    """Natural answers (item id → value) from a posted form; unknown fields are ignored."""
    answers: dict[str, object] = {}
    for item in ins.items:
        values = [v for v in form.get(item.id, []) if v.strip()]
        if values:
            answers[item.id] = values if isinstance(item, MultipleChoiceItem) else values[0]
    return answers


def results_page(module: LoadedModule, lang: str, form: dict[str, list[str]]) -> tuple[int, str]:
    """HTTP status and page of the engine's result of a posted form."""
    ins: Instrument = module.model
    u = lambda key, **args: ui_html(key, lang, **args)  # noqa: E731
    try:
        [res] = score_answers(compile_instrument(ins), [answers_from_form(ins, form)])
    except ResponseError as exc:
        title = ui("invalid_answer", lang)
        return 400, page(
            title, f"<h1>{u('invalid_answer')}</h1><p>{escape(str(exc))}</p>", lang=lang
        )
    name = _display_names(ins, lang)
    rows = "".join(
        f'<tr><td>{name(d.id)}</td><td id="score-{escape(d.id)}">{fmt_score(d.score)}</td>'
        f'<td id="level-{escape(d.id)}">{name(d.level)}</td>'
        f"<td>{fmt_score(d.coverage)}</td></tr>"
        for d in res.dimensions
    )
    body = (
        f"<h1>{u('your_results')} {md(pick(ins.title, lang), inline=True)}</h1>"
        f'<p>{u("overall")} <span id="overall">{fmt_score(res.overall.score)}</span> '
        f'({u("level_lower")} <span id="overall-level">{name(res.overall.level)}'
        "</span>)</p><table><tr>"
        + "".join(f"<th>{u(k)}</th>" for k in ("dimension", "score_header", "level", "coverage"))
        + f"</tr>{rows}</table>"
    )
    if res.label is not None:
        body += _label_section(res.label, name, lang)
    body += f'<p><a href="{module_url(module, lang)}">{u("answer_again")}</a></p>'
    return 200, page(ui("results", lang), body, lang=lang)


def _label_section(lab: LabelReport, name, lang: str) -> str:
    u = lambda key, **args: ui_html(key, lang, **args)  # noqa: E731
    gaps = "".join(
        f'<li class="gap">{name(g.indicator)} '
        f"({u('n_points', points=format(g.points, 'g'))})"
        f"{' – ' + u('train') + ' ' + escape(', '.join(g.modules)) if g.modules else ''}"
        "</li>"
        for g in lab.gaps
    )
    failed = ", ".join(name(r) for r in lab.requirements_failed) or u("none")
    points = u(
        "points_of",
        points=f'<span id="label-points">{lab.points:g}</span>',
        max_points=f"{lab.max_points:g}",
    )
    return (
        f"<h2>{u('label')}</h2><p>{u('reachable_level')} "
        f'<span id="label-level">{name(lab.level) if lab.level else u("none")}</span>; '
        f"{points} ({u('ratio')} "
        f'<span id="label-ratio">{lab.ratio:.4f}</span>)</p>'
        f"<p>{u('requirements_not_met')} {failed}</p>"
        f"<h3>{u('gaps')}</h3><ul>{gaps}</ul>"
    )


def _display_names(ins: Instrument, lang: str):
    """HTML of the title (in ``lang``) of a dimension, level, indicator or requirement id
    (a dash for None)."""
    titles = {d.id: d.title for d, _, _ in ins.iter_dimensions()}
    titles |= {lv.id: lv.title for lv in ins.levels}
    if ins.label is not None:
        rules = ins.label
        for group in (rules.levels, rules.indicators, rules.minimum_requirements):
            titles |= {x.id: x.title for x in group}

    def name(key: str | None) -> str:
        if key is None:
            return "–"
        return md(pick(titles[key], lang), inline=True) if key in titles else escape(key)

    return name
