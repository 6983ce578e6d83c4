"""Plain HTML pages of the preview: layout, index and case studies.

Every author text goes through :func:`~.markdown.render` (sanitised) or ``html.escape``.
Instrument pages are in :mod:`.instrument_pages`.
"""

from __future__ import annotations

import csv
from html import escape
from pathlib import Path
from urllib.parse import quote, urlencode

from ..decisions import case_result
from ..exceptions import ContentError
from ..exhibits import figure_path, markdown_path, read_markdown, read_table, table_path
from ..loader import Content, LoadedModule
from ..markdown import render
from ..models import END, CaseModule, DecisionPoint, TableExhibit
from ..pathtext import text_for
from ..texts import pick
from .ui import ui, ui_html

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
body{line-height:1.5}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #bbb;padding:.25rem .5rem}
.feedback{background:#f4f6f9;padding:.5rem 1rem;border-left:4px solid #4a78b5}
img{max-width:100%}nav a{margin-right:1rem}.score{font-weight:bold}
"""


def page(title: str, body: str, *, lang: str = "en") -> str:
    """A complete HTML document (no scripts, no external resources)."""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f'<body><nav><a href="/">{ui_html("all_courses", lang)}</a></nav>\n{body}\n</body></html>\n'
    )


def module_url(module: LoadedModule, lang: str, *rest: str) -> str:
    parts = [module.folder.parent.name, module.folder.name, lang, *rest]
    return "/m/" + "/".join(quote(p) for p in parts)


def file_url(module: LoadedModule, rel: str) -> str:
    return f"/f/{quote(module.folder.parent.name)}/{quote(module.folder.name)}/{quote(rel)}"


def md(
    text: str | None, *, module: LoadedModule | None = None, base: str = "", inline=False
) -> str:
    """Sanitised HTML of a Markdown text; relative URLs point at the module's files."""
    if not text:
        return ""
    url = None
    if module is not None:
        url = lambda u: file_url(module, f"{base}{u}")  # noqa: E731
    return render(text, inline=inline, url=url)


def index_page(content: Content, problems: int) -> str:
    rows = []
    for course in content.courses:
        title = pick(course.model.title, "en") if course.model else course.folder.name
        langs = list(course.model.languages) if course.model else []
        items = []
        for m in course.modules:
            if m.model is None:
                items.append(
                    f"<li>{escape(m.folder.name)} ({ui_html('invalid_module', 'en')})</li>"
                )
                continue
            links = " ".join(f'<a href="{module_url(m, lg)}">{escape(lg)}</a>' for lg in langs)
            label = md(pick(m.model.title, langs[0] if langs else "en"), inline=True)
            items.append(f"<li>{label} <small>({escape(m.kind)})</small> {links}</li>")
        rows.append(f"<h2>{md(title, inline=True)}</h2><ul>{''.join(items)}</ul>")
    note = (
        f"<p><strong>{ui_html('validation_problems', 'en', n=str(problems))}</strong>: "
        f"{ui_html('run_validate', 'en')}</p>"
        if problems
        else ""
    )
    title = f"{ui('course_preview', 'en')} / {ui('course_preview', 'fr')}"
    return page(title, f"<h1>{escape(title)}</h1>{note}{''.join(rows)}")


# --------------------------------------------------------------------- case pages


def case_page(module: LoadedModule, lang: str) -> str:
    case: CaseModule = module.model
    t = lambda x: pick(x, lang)  # noqa: E731
    u = lambda key: ui_html(key, lang)  # noqa: E731
    parts = [f"<h1>{md(t(case.title), inline=True)}</h1>", md(t(case.summary))]
    parts.append(
        f"<p><em>{escape(case.protagonist.name)}</em>, {md(t(case.protagonist.role), inline=True)}"
        f" · {case.duration_minutes} min</p>"
    )
    objectives = "".join(f"<li>{md(t(o), inline=True)}</li>" for o in case.learning_objectives)
    parts.append(f"<h2>{u('learning_objectives')}</h2><ul>{objectives}</ul>")
    for s in case.sections:
        parts.append(f'<h2 id="{escape(s.id)}">{md(t(s.title), inline=True)}</h2>')
        parts.append(_markdown_file(module, s.file, lang))
    parts.append(f"<h2>{u('exhibits')}</h2>")
    for ex in case.exhibits:
        parts.append(_exhibit(module, ex, lang))
    start = module_url(module, lang, "point", case.decisions.start)
    parts.append(
        f'<h2>{u("decisions")}</h2><p><a id="start" href="{start}">{u("start_decisions")}</a></p>'
    )
    if case.reflections:
        refl = "".join(
            f"<li>{md(t(r.prompt))}<details><summary>{u('model_answer')}</summary>"
            f"{md(t(r.model_answer))}</details></li>"
            for r in case.reflections
        )
        parts.append(f"<h2>{u('reflections')}</h2><ol>{refl}</ol>")
    parts.append(
        f'<h2 id="debrief">{u("debrief")}</h2>{_markdown_file(module, case.debrief.file, lang)}'
    )
    return page(t(case.title), "\n".join(parts), lang=lang)


def _markdown_file(module: LoadedModule, stem: str, lang: str) -> str:
    path = markdown_path(module.folder, stem, lang)
    if not path.is_file():
        return f"<p><em>{ui_html('missing_file', lang, name=escape(path.name))}</em></p>"
    base = str(Path(stem).parent) + "/" if "/" in stem else ""
    try:
        text = read_markdown(path)
    except ContentError:
        return f"<p><em>{ui_html('missing_file', lang, name=escape(path.name))}</em></p>"
    return md(text, module=module, base=base)


def _exhibit(module: LoadedModule, ex, lang: str) -> str:
    title = md(pick(ex.title, lang), inline=True) if ex.title else ""
    caption = md(pick(ex.caption, lang)) if ex.caption else ""
    if isinstance(ex, TableExhibit):
        try:
            rows = read_table(table_path(module.folder, ex, lang))
        except (ContentError, csv.Error):
            missing = ui_html("missing_table", lang, name=escape(ex.file))
            return f"<h3>{title}</h3><p><em>{missing}</em></p>"
        head = "".join(f"<th>{escape(c)}</th>" for c in rows[0]) if rows else ""
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:]
        )
        return (
            f'<figure id="exhibit-{escape(ex.id)}"><h3>{title}</h3><table><thead><tr>{head}</tr>'
            f"</thead><tbody>{body}</tbody></table><figcaption>{caption}</figcaption></figure>"
        )
    src = file_url(module, ex.file) if figure_path(module.folder, ex).is_file() else ""
    return (
        f'<figure id="exhibit-{escape(ex.id)}"><h3>{title}</h3>'
        f'<img src="{escape(src)}" alt="{escape(pick(ex.alt, lang))}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def parse_path(raw: str) -> list[tuple[str, str]]:
    """``"p1:a,p2:c"`` → ``[("p1", "a"), ("p2", "c")]`` (the choices made so far)."""
    return [tuple(step.split(":", 1)) for step in raw.split(",") if ":" in step]


def _path_query(path: list[tuple[str, str]]) -> str:
    return "?" + urlencode({"path": ",".join(f"{p}:{o}" for p, o in path)}) if path else ""


def point_page(module: LoadedModule, lang: str, point: DecisionPoint, path) -> str:
    """A decision point reached by ``path`` (the choices before it): its prompt for that
    path and a link per option."""
    t = lambda x: pick(text_for(x, path), lang)  # noqa: E731
    links = "".join(
        f'<li><a class="option" href="{module_url(module, lang, "point", point.id, o.id)}'
        f'{_path_query(path)}">{md(t(o.text), inline=True)}</a></li>'
        for o in point.options
    )
    body = f"<h1>{md(t(point.title), inline=True)}</h1>{md(t(point.prompt))}<ol>{links}</ol>"
    body += f'<p><a href="{module_url(module, lang)}">{ui_html("back_to_case", lang)}</a></p>'
    return page(t(point.title), body, lang=lang)


def option_page(module: LoadedModule, lang: str, point: DecisionPoint, option, path) -> str:
    """The choice of ``option`` after ``path``: feedback and consequence for that path,
    the engine's item score and the link on, with the choice added to the path."""
    t = lambda x: pick(text_for(x, path), lang)  # noqa: E731
    u = lambda key, **args: ui_html(key, lang, **args)  # noqa: E731
    item_score = case_result(module.model, [(point.id, option.id)]).items.get(point.id)
    score_html = (
        f'<p>{u("score")} <span class="score" id="item-score">{item_score:.4f}</span> '
        f"({u('option_score', score=format(option.score, 'g'))})</p>"
        if item_score is not None
        else f"<p>{u('not_graded')}</p>"
    )
    body = [
        f"<h1>{md(t(point.title), inline=True)}</h1>",
        f"<p>{u('your_choice')} {md(t(option.text), inline=True)}</p>",
        score_html,
        f'<div class="feedback"><h2>{u("feedback")}</h2>{md(t(option.feedback))}</div>',
    ]
    if option.consequence:
        body.append(f"<h2>{u('what_next')}</h2>{md(t(option.consequence))}")
    target = (
        module_url(module, lang, "end")
        if option.next == END
        else module_url(module, lang, "point", option.next)
    )
    label = u("see_results") if option.next == END else u("continue")
    onward = _path_query([*path, (point.id, option.id)])
    body.append(f'<p><a id="next" href="{target}{onward}">{label}</a></p>')
    return page(t(point.title), "\n".join(body), lang=lang)


def end_page(module: LoadedModule, lang: str, path) -> str:
    res = case_result(module.model, path)
    u = lambda key: ui_html(key, lang)  # noqa: E731
    rows = "".join(
        f'<tr><td>{escape(d.id)}</td><td id="dim-{escape(d.id)}">{fmt_score(d.score)}</td></tr>'
        for d in res.dimensions
    )
    body = (
        f'<h1>{u("end_of_case")}</h1><p>{u("overall")} <span class="score" id="overall">'
        f"{fmt_score(res.overall.score)}</span></p>"
        f"<table><tr><th>{u('competency')}</th><th>{u('score_header')}</th></tr>{rows}</table>"
        f'<p><a href="{module_url(module, lang)}#debrief">{u("read_debrief")}</a></p>'
    )
    return page(ui("end_of_case", lang), body, lang=lang)


def fmt_score(x: float | None) -> str:
    """A score for a page: four decimals, a dash when missing."""
    return "–" if x is None else f"{x:.4f}"
