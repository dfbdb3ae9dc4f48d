"""The generated documentation: anchors, links, examples, mkdocs, and a real browser."""

from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from jsonschema import Draft202012Validator
from rtschema.generate import generate_docs

from support import ROOT

DOCS = ROOT / "generated" / "docs"
BUNDLE = json.loads((ROOT / "schema" / "realtime.schema.json").read_text("utf-8"))
ARTIFACTS = ROOT / "test-artifacts"


class _Html(html.parser.HTMLParser):
    """Collects ids and hrefs of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"] or "")
        href = values.get("href")
        if href is not None:
            self.hrefs.append(href)
        for name in ("src", "href"):
            value = values.get(name) or ""
            if re.match(r"^(https?:)?//", value) and tag in ("script", "link", "img", "iframe"):
                self.external.append(value)


def _parse(text: str) -> _Html:
    parser = _Html()
    parser.feed(text)
    return parser


def _markdown_anchors() -> dict[str, set[str]]:
    anchors: dict[str, set[str]] = {}
    for page in DOCS.glob("*.md"):
        text = page.read_text("utf-8")
        found = set(re.findall(r"\{ #([^ }]+) \}", text)) | set(
            re.findall(r'<a id="([^"]+)"></a>', text)
        )
        anchors[page.name] = found
    return anchors


def _type_anchor(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", lambda m: f"_{ord(m.group()):x}_", name)


def _fields() -> list[tuple[str, str]]:
    """(type, field) for every property of every $defs type and inline object."""
    from rtschema.generate import load_ir

    schema, _ = load_ir(str(ROOT / "schema" / "realtime.schema.json"))
    out = []
    for named in schema.types:
        node = named.node
        if getattr(node, "named", None) is named:
            out += [(named.key, f.key) for f in node.fields]  # type: ignore[attr-defined]
    for obj in schema.objects():
        if obj.named is None:
            out += [(obj.name, f.key) for f in obj.fields]
    return out


def test_every_type_and_field_has_an_anchor_in_both_outputs() -> None:
    md = _markdown_anchors()
    all_md = set().union(*md.values())
    page = _parse((DOCS / "reference.html").read_text("utf-8"))
    ids = set(page.ids)
    assert len(page.ids) == len(ids), "duplicate ids in the HTML page"
    for name in BUNDLE["$defs"]:
        assert _type_anchor(name) in all_md, name
        assert _type_anchor(name) in ids, name
    fields = _fields()
    assert len(fields) > 300
    for type_name, key in fields:
        expected = f"{_type_anchor(type_name)}.{_type_anchor(key)}"
        assert expected in all_md, expected
        assert expected in ids, expected


def test_every_link_resolves() -> None:
    md = _markdown_anchors()
    for page in DOCS.glob("*.md"):
        for target in re.findall(r"\]\(([^)]+)\)", page.read_text("utf-8")):
            if re.match(r"^[a-z]+:", target):
                continue
            file, _, fragment = target.partition("#")
            name = file or page.name
            assert (DOCS / name).is_file(), (page.name, target)
            if fragment and name.endswith(".md"):
                assert unquote(fragment) in md[name], (page.name, target)
    html_page = _parse((DOCS / "reference.html").read_text("utf-8"))
    ids = set(html_page.ids)
    for href in html_page.hrefs:
        if href.startswith("#"):
            assert href[1:] in ids, href
    assert html_page.external == []


def test_examples_validate_against_their_types() -> None:
    shown = 0
    for page in DOCS.glob("*.md"):
        text = page.read_text("utf-8")
        for match in re.finditer(r"\{ #([^ }]+) \}(.*?)(?=\{ #|\Z)", text, re.S):
            name, body = match.group(1), match.group(2)
            example = re.search(r"Example:\n\n```json\n(.*?)\n```", body, re.S)
            if example is None or name not in BUNDLE["$defs"]:
                continue
            payload = json.loads(example.group(1))
            validator = Draft202012Validator({**BUNDLE, "$ref": f"#/$defs/{name}"})
            assert validator.is_valid(payload), (name, payload)
            shown += 1
    samples = list((ROOT / "schema" / "samples").glob("*/valid/*.json"))
    if samples:
        assert shown >= 17


def test_the_html_page_is_self_contained() -> None:
    text = (DOCS / "reference.html").read_text("utf-8")
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", text)


def test_docs_for_any_schema(tmp_path: Path) -> None:
    schema = ROOT / "tests" / "corpus" / "features" / "oneof_tagged" / "schema.json"
    generate_docs(str(schema), str(tmp_path / "md"), "md", None)
    generate_docs(str(schema), str(tmp_path / "html"), "html", None)
    markdown = sorted(p.name for p in (tmp_path / "md").iterdir())
    assert markdown == [".rtschema-manifest", "index.md", "types.md"]
    page = sorted(p.name for p in (tmp_path / "html").iterdir())
    assert page == [".rtschema-manifest", "reference.html"]
    assert "{ #Shape }" in (tmp_path / "md" / "types.md").read_text()


def test_hostile_descriptions_do_not_become_markup(tmp_path: Path) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {
            "Evil": {
                "type": "object",
                "description": "<script>alert(1)</script> | pipe `code` [x](javascript:alert(2))",
                "properties": {
                    "<b>k</b>": {"type": "string", "description": "<img src=x onerror=alert(3)>"}
                },
            }
        },
    }
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(schema))
    generate_docs(str(path), str(tmp_path / "out"), None, None)
    page = (tmp_path / "out" / "reference.html").read_text()
    tags: list[tuple[str, dict[str, str | None]]] = []

    class Tags(html.parser.HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append((tag, dict(attrs)))

    Tags().feed(page)
    assert [t for t, _ in tags].count("script") == 1  # the page's own filter script
    assert not any(t in ("img", "b") for t, _ in tags)
    assert not any(k.startswith("on") for _, attrs in tags for k in attrs)
    assert not any((a.get("href") or "").lower().startswith("javascript:") for _, a in tags)
    md = (tmp_path / "out" / "types.md").read_text()
    assert "<script>" not in md and "<img" not in md and "<b>" not in md
    assert "](javascript:" not in md


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(tmp_path / "site"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "sessions" / "index.html").is_file()


# --------------------------------------------------------------------------- browser


def _browser():  # type: ignore[no-untyped-def]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        if os.environ.get("RTSCHEMA_REQUIRE_BROWSER"):
            pytest.fail(
                "chromium and chromedriver are required (apt-get install chromium chromium-driver)"
            )
        pytest.skip(
            "optional locally: install Debian's chromium and chromium-driver to run the browser test"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


def test_html_page_in_a_real_browser() -> None:
    from selenium.webdriver.common.by import By

    browser = _browser()
    try:
        browser.get((DOCS / "reference.html").as_uri())
        for name in BUNDLE["$defs"]:
            assert browser.find_elements(By.ID, _type_anchor(name)), name
        items = browser.find_elements(By.CSS_SELECTOR, "nav li")
        visible = [li for li in items if li.is_displayed()]
        assert len(visible) == len(items) >= len(BUNDLE["$defs"])
        box = browser.find_element(By.ID, "filter")
        box.send_keys("turn_detection")
        narrowed = [li.text for li in items if li.is_displayed()]
        assert 0 < len(narrowed) < len(items)
        assert "RealtimeSession" in narrowed and "NoiseReductionType" not in narrowed
        box.clear()
        box.send_keys("RealtimeTurnDetection")
        assert {li.text for li in items if li.is_displayed()} >= {
            "RealtimeTurnDetection",
            "RealtimeTurnDetectionParam",
        }
        # Whole names in the sidebar, and a page that fits the window's width.
        browser.get((DOCS / "reference.html").as_uri())
        longest = max(BUNDLE["$defs"], key=len)
        link = browser.find_element(By.CSS_SELECTOR, f'nav a[href="#{_type_anchor(longest)}"]')
        assert link.text == longest
        clipped = browser.execute_script(
            "return Array.from(document.querySelectorAll('nav li a'))"
            ".filter(a => a.scrollWidth > a.clientWidth + 1).map(a => a.textContent)"
        )
        assert clipped == []
        for width in (1280, 800):
            browser.set_window_size(width, 900)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (width, overflow)
        browser.set_window_size(1280, 900)
        # An event's outline unfolds to its nested fields.
        browser.get((DOCS / "reference.html").as_uri() + "#RealtimeServerEventSessionCreated")
        outline = browser.find_element(
            By.CSS_SELECTOR, "#RealtimeServerEventSessionCreated details.outline"
        )
        assert outline.get_attribute("open") is None  # folded until asked for
        browser.execute_script("arguments[0].open = true", outline)
        assert "session" in outline.text and "turn_detection" not in outline.text
        browser.execute_script(
            "arguments[0].querySelectorAll('details').forEach(d => d.open = true)", outline
        )
        assert "turn_detection" in outline.text and "silence_duration_ms" in outline.text
        browser.get((DOCS / "reference.html").as_uri() + "#RealtimeSession.temperature")
        row = browser.find_element(By.ID, "RealtimeSession.temperature")
        assert "0.6" in row.text and row.is_displayed()
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "reference-html.png"))
        errors = [
            entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")
        ]
        assert errors == []
    finally:
        browser.quit()
