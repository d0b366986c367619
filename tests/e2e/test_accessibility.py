"""axe-core on every page and every Workshop slide: no serious or critical WCAG 2.1 AA violation from our content.

Violations that sit inside Streamlit's own front end are excluded below by rule and selector, each with why; the
README (Accessibility) lists them. Anything else serious or critical fails the test with the nodes axe names.
"""

from __future__ import annotations

from typing import Any

import pytest
from streamlit_ui import ALL_PAGES, keyed, open_page, press

pytestmark = pytest.mark.slow

axe_package = pytest.importorskip("axe_playwright_python.base", reason="axe-playwright-python is not installed")

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

#: (axe rule, CSS selector of the Streamlit element the node lies in): violations of Streamlit's front end.
STREAMLIT_OWN = [
    # st.navigation's sidebar puts its section headers ("Explore results", ...) as children of the <ul> of page
    # links and wraps each section's links in <li> outside a list of their own: axe's "list" and "listitem" rules.
    # Markup of Streamlit's SidebarNav component; the app only passes st.Page objects.
    ("list", '[data-testid="stSidebarNavItems"]'),
    ("listitem", '[data-testid="stSidebarNavItems"]'),
]

SERIOUS = {"serious", "critical"}


def our_violations(page: Any) -> list[str]:
    """Serious and critical axe violations on the page, less those inside Streamlit's own front end."""
    page.evaluate(axe_package.AXE_SCRIPT)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS
    )
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        inside = [selector for rule, selector in STREAMLIT_OWN if rule == violation["id"]]
        for node in violation["nodes"]:
            target = node["target"][-1] if isinstance(node["target"][-1], str) else node["target"][-1][-1]
            streamlit_own = page.evaluate(
                "([target, selectors]) => { const e = document.querySelector(target);"
                " return !!e && selectors.some(s => e.closest(s) !== null); }",
                [target, inside],
            )
            if not streamlit_own:
                why = "; ".join(check["message"] for check in node.get("any", []) + node.get("all", []))
                found.append(f"{violation['id']} ({violation['impact']}) at {target}: {node['html'][:160]} — {why}")
    return found


@pytest.mark.parametrize("path", ALL_PAGES)
def test_no_serious_accessibility_violation_on_the_page(page, app_server, path):
    """The page, fully rendered on the demo data, has no serious or critical axe violation of its own."""
    open_page(page, app_server.url, path)
    assert our_violations(page) == []


def test_no_serious_accessibility_violation_on_any_workshop_slide(page, app_server):
    """Every Workshop slide, reached with the → key, has no serious or critical axe violation of its own."""
    open_page(page, app_server.url, "/workshop")
    problems = {1: our_violations(page)}
    number = 1
    while not keyed(page, "workshop_next").locator("button").is_disabled() and number < 60:
        press(page, "ArrowRight")
        number += 1
        problems[number] = our_violations(page)
    assert number >= 3
    assert {slide: found for slide, found in problems.items() if found} == {}
