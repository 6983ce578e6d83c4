"""The player's UI strings: English and French have the same keys and placeholders, the
app uses no key they lack, and they hold no key that nothing uses."""

from __future__ import annotations

import json
import re
from pathlib import Path

PLAYER = Path(__file__).resolve().parents[2] / "player"
STRINGS = {
    lang: json.loads((PLAYER / "strings" / f"{lang}.json").read_text("utf-8"))
    for lang in ("en", "fr")
}


def js_sources() -> dict[str, str]:
    return {str(p): p.read_text("utf-8") for p in (PLAYER / "static" / "js").rglob("*.js")}


def used_keys() -> set[str]:
    """Keys the app and the bundle builder use: `t("key")`, `ui.key`, the values of the
    `*_KEYS` tables, the learner-state problems, `_ui(lang, "key")` and `ui["key"]`."""
    keys: set[str] = set()
    for text in js_sources().values():
        keys |= set(re.findall(r'\bt\(\s*"([a-z0-9_]+)"', text))
        keys |= set(re.findall(r"\bui\??\.([a-z0-9_]+)", text))
        for table in re.findall(r"const [A-Z_]*KEYS = \{(.*?)\};", text, re.S):
            keys |= set(re.findall(r':\s*"([a-z0-9_]+)"', table))
        keys |= set(re.findall(r'"(state_[a-z_]+)"', text))
    for path in PLAYER.glob("*.py"):
        text = path.read_text("utf-8")
        keys |= set(re.findall(r'_ui\(\w+, "([a-z0-9_]+)"\)', text))
        keys |= set(re.findall(r'\["ui"\]\.get\("([a-z0-9_]+)"', text))
    return keys


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{([a-z0-9_]+)\}", text))


def test_english_and_french_have_the_same_keys_and_placeholders():
    en, fr = STRINGS["en"], STRINGS["fr"]
    assert en.keys() == fr.keys()
    for key in en:
        assert placeholders(en[key]) == placeholders(fr[key]), key
        assert en[key].strip() and fr[key].strip(), key


def test_the_app_uses_no_key_missing_from_the_strings():
    used = used_keys()
    assert {"preview_banner", "state_unreadable", "band_above", "kind_label", "peers_all"} <= used
    assert used - STRINGS["en"].keys() == set()


def test_every_string_is_used():
    assert STRINGS["en"].keys() - used_keys() == set()


def test_the_app_has_no_english_of_its_own():
    """Visible text comes from the bundle's strings: no English sentence in the views."""
    for name, text in js_sources().items():
        if "/views/" not in name and not name.endswith(("app.js", "preview.js")):
            continue
        # comments and errors for developers (in the console) are no visible text
        code = re.sub(r"//[^\n]*|/\*.*?\*/|new Error\([^;]*\)", "", text, flags=re.S)
        for literal in re.findall(r'"([^"\n]*)"|`([^`\n]*)`', code):
            s = literal[0] or literal[1]
            assert not re.search(r"(?<![\w-])[A-Za-z]{2,} [a-z]{2,}(?![\w-])", s), (name, s)
