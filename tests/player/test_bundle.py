"""Module bundles: schema, content, answer keys, path texts and peers."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from clusterexcellence.courses.decisions import case_result
from clusterexcellence.courses.loader import load_content
from clusterexcellence.courses.models import END, CaseModule
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.courses.pathtext import text_for
from clusterexcellence.courses.population.bundled import reference_for
from clusterexcellence.engine.benchmark import distribution
from clusterexcellence.player.bundle import QUANTILES, build_bundle, table_html, ui_strings
from clusterexcellence.player.exceptions import BundleError
from clusterexcellence.player.site import app_files, launch_page, module_files

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "player/schemas/bundle.schema.json").read_text())
DATA = ROOT / "tests/data"
GOLDEN = DATA / "golden"
CONTENT = load_content(CONTENT_ROOT)
MODULES = [
    (c.model.id, m.id, lang)
    for c in CONTENT.courses
    for m in c.modules
    for lang in c.model.languages
]


def validate(bundle: dict) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(bundle)


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(("course", "module", "lang"), MODULES)
def test_every_bundled_module_gives_a_bundle_the_schema_accepts(course, module, lang):
    for keys in (True, False):
        bundle = build_bundle(CONTENT, course, module, lang, keys=keys).data
        validate(bundle)
        assert bundle["module"]["lang"] == lang
        assert bundle["ui"] == ui_strings(lang)
        assert (bundle["keys"] is None) != keys
        # Plain text where the app and package metadata show text as it is.
        for text in (bundle["module"]["title"], bundle["module"]["summary"]):
            assert not any(mark in text for mark in ("**", "\n", "<", "&amp;")), text


def test_the_schema_refuses_a_bundle_with_a_missing_or_foreign_key():
    bundle = build_bundle(CONTENT, "case-studies", "governance-conflict", "en").data
    with pytest.raises(jsonschema.ValidationError):
        validate({k: v for k, v in bundle.items() if k != "ui"})
    with pytest.raises(jsonschema.ValidationError):
        validate(bundle | {"extra": 1})
    with pytest.raises(jsonschema.ValidationError):  # a case bundle holds no instrument
        validate(bundle | {"instrument": {"id": "x"}})


def test_a_bundle_is_pinned_byte_for_byte():
    """The golden bundles of the test content (regenerate: tests/data/golden/regenerate.py)."""
    content = load_content(DATA / "content/valid")
    for keys in (True, False):
        got = build_bundle(content, "demo", "demo-case", "fr", keys=keys).json()
        name = f"bundle.demo-case.fr{'' if keys else '.nokeys'}.json"
        assert got == (GOLDEN / name).read_text(encoding="utf-8").rstrip("\n"), name


def test_a_bundle_without_keys_gives_no_answer_away():
    """No option score, feedback, consequence or next point, and no scoring spec."""
    module = next(m for m in CONTENT.modules() if m.id == "governance-conflict")
    case: CaseModule = module.model
    text = build_bundle(CONTENT, "case-studies", case.id, "en", keys=False).json()
    with_keys = build_bundle(CONTENT, "case-studies", case.id, "en", keys=True).json()
    assert '"keys":null' in text and "scoring-spec" not in text and "scoring-spec" in with_keys
    secrets = 0
    for point in case.decisions.points:
        for option in point.options:
            variants = option.feedback if isinstance(option.feedback, list) else None
            texts = [v.text for v in variants] if variants else [option.feedback]
            for feedback in texts:
                words = re.findall(r"[A-Za-z]+", feedback["en"])[:8]
                needle = " ".join(words)
                if needle not in with_keys:  # Markdown split it: not a usable probe
                    continue
                assert needle not in text, (point.id, option.id)
                secrets += 1
    assert secrets > 15
    ins = build_bundle(CONTENT, "label-self-assessment", "label-self-assessment", "en", keys=False)
    assert '"score"' not in ins.json() and '"scores"' not in ins.json()


def test_option_keys_are_the_engine_scores_and_the_graph():
    module = next(m for m in CONTENT.modules() if m.id == "governance-conflict")
    case: CaseModule = module.model
    keys = build_bundle(CONTENT, "case-studies", case.id, "en").data["keys"]["decisions"]
    for point in case.decisions.points:
        for option in point.options:
            key = keys[point.id][option.id]
            assert key["next"] == option.next
            if not point.graded:
                assert key["score"] is None
                continue
            # The item score the engine gives that single choice.
            result = case_result(case, [(point.id, option.id)])
            assert key["score"] == pytest.approx(result.items[point.id], abs=1e-12)


def paths(case: CaseModule):
    """Every full path through the case's decision graph: ((point, option), ...)."""
    by_id = {p.id: p for p in case.decisions.points}

    def walk(pid, done):
        if pid == END:
            yield done
            return
        for option in by_id[pid].options:
            yield from walk(option.next, (*done, (pid, option.id)))

    yield from walk(case.decisions.start, ())


def test_path_texts_follow_the_path_as_the_content_rules_say(tmp_path):
    """pathtext.js picks, on every path of every bundled case, the variant text_for picks."""
    jobs, expected = [], []
    for module in CONTENT.modules():
        if not isinstance(module.model, CaseModule):
            continue
        case = module.model
        bundle = build_bundle(CONTENT, "case-studies", case.id, "en").data
        points = {p["id"]: p for p in bundle["case"]["points"]}
        by_id = {p.id: p for p in case.decisions.points}
        seen = set()
        for path in paths(case):
            for k, (pid, oid) in enumerate(path):
                before = list(path[:k])
                key = (pid, oid, tuple(before))
                if key in seen:
                    continue
                seen.add(key)
                point = by_id[pid]
                option = next(o for o in point.options if o.id == oid)
                decided = bundle["keys"]["decisions"][pid][oid]
                for source, variants in (
                    (point.prompt, points[pid]["prompt"]),
                    (option.feedback, decided["feedback"]),
                    (option.consequence, decided["consequence"]),
                ):
                    want = text_for(source, before)
                    jobs.append({"variants": variants, "path": before})
                    expected.append(None if want is None else want["en"])
    assert len(jobs) > 500
    script = tmp_path / "texts.mjs"
    script.write_text(
        f'import {{ textFor }} from "{(ROOT / "player/static/js/pathtext.js").as_uri()}";\n'
        'import { readFileSync } from "node:fs";\n'
        "const jobs = JSON.parse(readFileSync(process.argv[2], 'utf8'));\n"
        "process.stdout.write(JSON.stringify(jobs.map((j) => textFor(j.variants, j.path))));\n"
    )
    (tmp_path / "jobs.json").write_text(json.dumps(jobs))
    out = subprocess.run(
        [shutil.which("node"), str(script), str(tmp_path / "jobs.json")],
        check=True,
        capture_output=True,
        text=True,
    )
    got = json.loads(out.stdout)
    # The bundle holds each variant rendered: compare the variant chosen, by its index.
    chosen_variants = 0
    for job, html, want in zip(jobs, got, expected, strict=True):
        if want is None:
            assert html is None
            continue
        index = [v["html"] for v in job["variants"]].index(html)
        assert len(job["variants"]) == 1 or want.split()[0] in html, (want, html)
        chosen_variants += index > 0 or len(job["variants"]) > 1
    assert chosen_variants > 50  # the cases' variants are exercised, not only defaults


def test_markdown_in_a_bundle_is_sanitised(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(DATA / "content/unsafe-html", root)
    shutil.copytree(CONTENT_ROOT / "frameworks", root / "frameworks")
    content = load_content(root)
    text = build_bundle(content, "demo", "demo-case", "en").json()
    assert "alert" not in text and "javascript:" not in text and "onclick" not in text
    page = launch_page(build_bundle(content, "demo", "demo-case", "en"), host="scorm12")
    assert page.count("</script>") == 2  # the bundle's own and the app's: nothing closes early


def test_a_text_cannot_close_the_bundle_script_element():
    bundle = build_bundle(CONTENT, "case-studies", "governance-conflict", "en")
    bundle.data["module"]["title"] = "</script><script>alert(1)</script>"
    page = launch_page(bundle, host="cmi5")
    assert "<script>alert(1)" not in page and page.count("</script>") == 2
    inline = page.split('id="ce-bundle">', 1)[1].split("</script>", 1)[0]
    assert json.loads(inline)["module"]["title"] == "</script><script>alert(1)</script>"


def test_exhibits_are_tables_with_captions_and_figures_with_alt_text():
    bundle = build_bundle(CONTENT, "case-studies", "governance-conflict", "fr").data
    kinds = {e["kind"] for e in bundle["case"]["exhibits"]}
    assert kinds == {"table", "figure"}
    for ex in bundle["case"]["exhibits"]:
        if ex["kind"] == "table":
            assert ex["html"].startswith(f"<table><caption>{ex['title']}</caption><thead>")
        else:
            assert ex["alt"] and ex["src"].startswith("media/")
    assert table_html("", [["a<b"], ["1&2"]]) == (
        '<table><thead><tr><th scope="col">a&lt;b</th></tr></thead>'
        "<tbody><tr><td>1&amp;2</td></tr></tbody></table>"
    )


def test_module_files_hold_the_launch_page_and_every_media_file_it_needs():
    files = module_files(CONTENT, "case-studies", "governance-conflict", "en", host="scorm2004")
    page = files["index.html"].decode()
    assert '<meta name="ce-host" content="scorm2004">' in page
    assert 'src="../player/js/app.js"' in page
    bundle = json.loads(page.split('id="ce-bundle">', 1)[1].split("</script>", 1)[0])
    figures = {e["src"] for e in bundle["case"]["exhibits"] if e["kind"] == "figure"}
    assert figures and figures <= set(files)
    assert set(files) == {"index.html", *figures}
    assert files[next(iter(figures))].startswith(b"<")
    assert all(not p.startswith("player/js/package") for p in app_files())
    assert "player/js/evaluator.js" in app_files()


def test_unknown_course_module_or_language_is_a_clear_error():
    with pytest.raises(BundleError, match="no course 'nope'"):
        build_bundle(CONTENT, "nope", "x", "en")
    with pytest.raises(BundleError, match="has no module 'nope'"):
        build_bundle(CONTENT, "case-studies", "nope", "en")
    with pytest.raises(BundleError, match="is not in 'de'"):
        build_bundle(CONTENT, "case-studies", "governance-conflict", "de")


def test_peers_are_the_reference_quantiles_per_group_with_small_groups_withheld():
    bundle = build_bundle(CONTENT, "label-self-assessment", "label-self-assessment", "en").data
    peers = bundle["peers"]
    reference = reference_for("label-self-assessment")
    assert peers["quantiles"] == list(QUANTILES) and peers["synthetic"] is True
    groups = {g["id"]: g for g in peers["groups"]}
    assert {"all", "excellence"} <= set(groups) and any(g.startswith("portfolio:") for g in groups)
    gold = reference.where(label="gold")
    d = distribution(gold.values("dim:financing"))
    assert groups["excellence"]["n"] == len(gold)
    assert groups["excellence"]["measures"]["financing"] == [
        round(x, 4) for x in (d.p10, d.q1, d.median, d.q3, d.p90)
    ]
    assert groups["all"]["n"] == len(reference)
    small = build_bundle(CONTENT, "label-self-assessment", "label-self-assessment", "en")
    from clusterexcellence.player.bundle import peers as peer_groups

    ins = next(m for m in CONTENT.modules() if m.id == "label-self-assessment").model
    withheld = peer_groups(ins, "en", k=len(gold) + 1)
    assert {g["id"]: g["measures"] for g in withheld["groups"]}["excellence"] is None
    assert small.data["peers"]["groups"][0]["measures"] is not None
    test = build_bundle(CONTENT, "competency-self-test", "self-test", "en").data["peers"]
    assert [g["id"] for g in test["groups"]] == ["all"]
    assert set(test["groups"][0]["measures"]) == {
        "overall",
        *(
            s["id"]
            for s in build_bundle(CONTENT, "competency-self-test", "self-test", "en").data[
                "instrument"
            ]["sections"]
        ),
    }
