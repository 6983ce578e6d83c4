"""Preview pages of instrument modules: the questionnaire form and the engine's scores."""

from __future__ import annotations

from html import escape

import numpy as np

from clusterexcellence.engine import Instrument, ResponseError, compile_instrument, score
from clusterexcellence.engine.labels import label_report
from clusterexcellence.engine.responses import encode_rows

from ..loader import LoadedModule
from ..texts import pick
from .pages import md, module_url, page
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


def _item_field(item, lang: str) -> str:
    t = lambda x: pick(x, lang)  # noqa: E731
    name = escape(item.id)
    head = f'<fieldset id="item-{name}"><legend>{md(t(item.prompt), inline=True)}</legend>'
    if item.type == "situational":
        head += md(t(item.scenario))
    if item.type == "likert":
        labels = [t(lb) for lb in item.labels] or [str(k) for k in range(1, item.points + 1)]
        inputs = [
            f'<label><input type="radio" name="{name}" value="{k}"> {k}. '
            f"{md(lb, inline=True)}</label><br>"
            for k, lb in enumerate(labels, start=1)
        ]
    elif item.type in ("single_choice", "situational", "multiple_choice"):
        kind = "checkbox" if item.type == "multiple_choice" else "radio"
        inputs = [
            f'<label><input type="{kind}" name="{name}" value="{escape(o.id)}"> '
            f"{md(t(o.text), inline=True)}</label><br>"
            for o in item.options
        ]
    elif item.type == "boolean":
        inputs = [
            f'<label><input type="radio" name="{name}" value="{v}"> {ui_html(v, lang)}</label> '
            for v in ("true", "false")
        ]
    else:
        unit = f" {md(t(item.unit), inline=True)}" if item.unit else ""
        bounds = "".join(
            f' {k}="{v:g}"' for k, v in (("min", item.min), ("max", item.max)) if v is not None
        )
        inputs = [f'<input type="number" step="any" name="{name}"{bounds}>{unit}']
    return head + "".join(inputs) + "</fieldset>"


def answers_from_form(ins: Instrument, form: dict[str, list[str]]) -> dict[str, object]:
    """Natural answers (item id → value) from a posted form; unknown fields are ignored."""
    answers: dict[str, object] = {}
    for item in ins.items:
        values = [v for v in form.get(item.id, []) if v.strip()]
        if not values:
            continue
        answers[item.id] = values if item.type == "multiple_choice" else values[0]
    return answers


def score_answers(ins: Instrument, answers: dict[str, object]) -> dict:
    """The engine's scores of one respondent's natural answers (JSON-ready).

    Raises ``ResponseError`` or ``ValueError`` when an answer is invalid.
    """
    compiled = compile_instrument(ins)
    X = encode_rows(compiled, [answers])
    res = score(X, compiled)
    lv = compiled.level_ids

    def level(i: int) -> str | None:
        return lv[i] if i >= 0 else None

    out = {
        "overall": _num(res.overall[0]),
        "overall_level": level(int(res.overall_level[0])),
        "dimensions": {
            d: {
                "score": _num(res.dimension_scores[0, k]),
                "level": level(int(res.dimension_levels[0, k])),
                "coverage": _num(res.dimension_coverage[0, k]),
            }
            for k, d in enumerate(compiled.dimension_ids)
        },
    }
    if compiled.label is not None:
        rep = label_report(res, 0)
        out["label"] = {
            "level": rep.level,
            "points": rep.points,
            "max_points": rep.max_points,
            "ratio": rep.ratio,
            "requirements_failed": list(rep.requirements_failed),
            "gaps": [
                {"indicator": g.indicator, "points": g.points, "modules": list(g.modules)}
                for g in rep.gaps
            ],
        }
    return out


def results_page(module: LoadedModule, lang: str, form: dict[str, list[str]]) -> tuple[int, str]:
    """HTTP status and page of the scores of a posted form."""
    ins: Instrument = module.model
    u = lambda key, **args: ui_html(key, lang, **args)  # noqa: E731
    try:
        res = score_answers(ins, answers_from_form(ins, form))
    except (ResponseError, ValueError) as exc:
        title = ui("invalid_answer", lang)
        return 400, page(
            title, f"<h1>{u('invalid_answer')}</h1><p>{escape(str(exc))}</p>", lang=lang
        )
    name = _display_names(ins, lang)
    rows = "".join(
        f'<tr><td>{name(d)}</td><td id="score-{escape(d)}">{_fmt(v["score"])}</td>'
        f'<td id="level-{escape(d)}">{name(v["level"])}</td>'
        f"<td>{_fmt(v['coverage'])}</td></tr>"
        for d, v in res["dimensions"].items()
    )
    body = (
        f"<h1>{u('your_results')} {md(pick(ins.title, lang), inline=True)}</h1>"
        f'<p>{u("overall")} <span id="overall">{_fmt(res["overall"])}</span> '
        f'({u("level_lower")} <span id="overall-level">{name(res["overall_level"])}'
        "</span>)</p><table><tr>"
        + "".join(f"<th>{u(k)}</th>" for k in ("dimension", "score_header", "level", "coverage"))
        + f"</tr>{rows}</table>"
    )
    if "label" in res:
        lab = res["label"]
        gaps = "".join(
            f'<li class="gap">{name(g["indicator"])} '
            f"({u('n_points', points=format(g['points'], 'g'))})"
            f"{' – ' + u('train') + ' ' + escape(', '.join(g['modules'])) if g['modules'] else ''}"
            "</li>"
            for g in lab["gaps"]
        )
        failed = ", ".join(name(r) for r in lab["requirements_failed"]) or u("none")
        points = u(
            "points_of",
            points=f'<span id="label-points">{lab["points"]:g}</span>',
            max_points=f"{lab['max_points']:g}",
        )
        body += (
            f"<h2>{u('label')}</h2><p>{u('reachable_level')} "
            f'<span id="label-level">{name(lab["level"]) if lab["level"] else u("none")}</span>; '
            f"{points} ({u('ratio')} "
            f'<span id="label-ratio">{lab["ratio"]:.4f}</span>)</p>'
            f"<p>{u('requirements_not_met')} {failed}</p>"
            f"<h3>{u('gaps')}</h3><ul>{gaps}</ul>"
        )
    body += f'<p><a href="{module_url(module, lang)}">{u("answer_again")}</a></p>'
    return 200, page(ui("results", lang), body, lang=lang)


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


def _num(x) -> float | None:
    x = float(x)
    return None if np.isnan(x) else x


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.4f}"
