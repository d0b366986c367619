"""Glue for the Workshop page: choosing the deck, cached deck and exports, drawing a slide, presentation mode.

Decks, files and images are cached per organization *and* data version (``st.cache_data`` is shared by every
user of the server), like everything in :mod:`ui.data`. The downloads are built only when clicked (a callable
given to ``st.download_button``), so opening the page never waits for PowerPoint or Excel files.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import streamlit as st

from survey_model.access import FACILITATOR
from survey_model.charts.deck import deck_images, figure_chart, image_spec
from survey_model.deck import PROTOCOL, WHOLE_ORGANIZATION, Deck, Slide, build_deck
from survey_model.reports import chart_png, chart_svg, deck_pptx, workbook_xlsx
from survey_model.slugs import slug
from survey_model.workbook import results_workbook
from ui import auth, data, display
from ui.data import OrgData
from ui.state import NO_COMPARISON, Filters

PRESENT = "workshop_present"
SLIDE = "workshop_slide"
WAVE, COMPARE, SCOPE = "workshop_wave", "workshop_compare", "workshop_scope"
#: Figures drawn across the whole slide, their points underneath (a grid of groups × conditions needs the width).
WIDE = frozenset({"breakdown"})

#: Presentation mode: sidebar, header and toolbar out of the way, the page full width, large type.
PRESENTATION_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
.block-container { padding-top: 1.5rem !important; padding-bottom: 1rem !important; max-width: 100% !important; }
.block-container { --cld-text: 1; }
[data-testid="stMarkdownContainer"] h1 { font-size: calc(var(--cld-text) * 3.4rem) !important; }
[data-testid="stMarkdownContainer"] h3 { font-size: calc(var(--cld-text) * 2.1rem) !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
  font-size: calc(var(--cld-text) * 1.7rem) !important; }
</style>
"""
#: Large type for the slide even outside presentation mode.
SLIDE_CSS = """
<style>
.st-key-workshop_slide_view [data-testid="stMarkdownContainer"] p,
.st-key-workshop_slide_view [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
</style>
"""
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~$])")


def escape_attribute(text: str) -> str:
    """Text safe inside an HTML attribute value."""
    return html.escape(text, quote=True)


def escape(text: str) -> str:
    """Text from the data (names, item wordings) shown as itself, not as Markdown, HTML or LaTeX."""
    return _MARKDOWN.sub(r"\\\1", text)


@dataclass(frozen=True)
class DeckChoice:
    """What the facilitator chose: waves (oldest first) and the scope."""

    waves: tuple[str, ...]
    school: str | None


def choose(org: OrgData, filters: Filters, *, show: bool) -> DeckChoice:
    """The waves and the scope, seeded from the sidebar; the controls are drawn only when ``show``."""
    waves = list(org.waves)
    schools = data.filter_options(org.org)["school"]  # cached per data version, not recomputed on every rerun
    _default(WAVE, waves, filters.wave)
    _default(SCOPE, [WHOLE_ORGANIZATION, *schools], filters.school or WHOLE_ORGANIZATION)
    if show:
        columns = st.columns(3)
        wave = columns[0].selectbox("Results from", waves, key=WAVE)
    else:
        wave = st.session_state[WAVE]
    earlier = [NO_COMPARISON, *reversed(waves[: waves.index(wave)])]
    # As the sidebar: since the first wave (the change a network reports) unless it says otherwise.
    first = waves[0] if waves.index(wave) > 0 and not filters.chose_no_comparison else NO_COMPARISON
    _default(COMPARE, earlier, filters.compare if filters.compare in earlier else first)
    if show:
        compare = columns[1].selectbox("Compared with", earlier, key=COMPARE, help="Changes run from this wave.")
        scope = columns[2].selectbox("Scope", [WHOLE_ORGANIZATION, *schools], key=SCOPE)
    else:
        compare, scope = st.session_state[COMPARE], st.session_state[SCOPE]
    chosen = (wave,) if compare == NO_COMPARISON else (compare, wave)
    return DeckChoice(waves=chosen, school=None if scope == WHOLE_ORGANIZATION else scope)


def _default(key: str, options: list[str], preferred: str) -> None:
    """Keep a remembered choice only while it is still an option; otherwise start from ``preferred``."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = preferred if preferred in options else options[-1]


@st.cache_data(max_entries=32, show_spinner="Building the deck…")
def _deck(org: str, version: str, waves: tuple[str, ...], school: str | None) -> Deck:
    current = data.org_data(org)
    name = next((o.name for o in data.store().organizations() if o.id == org), org)
    return build_deck(
        current.frame,
        current.codebook,
        org_name=name,
        waves=waves,
        school=school,
        school_groups=data.store().school_groups(org),
        settings=data.settings(),
        rosters=data.store().rosters(org),
    )


def deck(org: str, choice: DeckChoice) -> Deck:
    """The deck for the organization's current data (cached per organization, data version and choice)."""
    return _deck(org, data.version(org, FACILITATOR), choice.waves, choice.school)


def slide_number(current: Deck, choice: DeckChoice) -> int:
    """The slide on screen (0-based), back to the first when the deck itself changes."""
    identity = (current.org_name, choice.waves, choice.school, len(current.slides))
    if st.session_state.get("workshop_deck") != identity:
        st.session_state["workshop_deck"] = identity
        st.session_state[SLIDE] = 0
    number = min(max(int(st.session_state.get(SLIDE, 0)), 0), len(current.slides) - 1)
    st.session_state[SLIDE] = number
    return number


def _step(delta: int, count: int) -> None:
    st.session_state[SLIDE] = min(max(st.session_state.get(SLIDE, 0) + delta, 0), count - 1)


#: Run once per slide shown (and when Present is switched): Streamlit keeps the scroll position across reruns, so
#: without it the next slide opens part-way down with its title out of view (Streamlit scrolls its main section,
#: not the document). In Present mode the slide's type is then made smaller, in steps (down to 55%), until the
#: slide and the Next button fit the window; again when the window is resized or a chart finishes drawing. (Charts
#: are never scaled: a zoomed or transformed container makes Vega redraw them into a sliver.)
SLIDE_SCRIPT = """<script data-slide="{identity}">
(() => {{
  const w = window;
  w.__cldPresent = {present};
  const boxes = () => ['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]']
    .map(selector => document.querySelector(selector)).filter(Boolean);
  for (const box of boxes()) box.scrollTo({{top: 0}});
  w.scrollTo({{top: 0}});
  if (!w.__cldFit) {{
    w.__cldFit = () => {{
      const slide = document.querySelector('.st-key-workshop_slide_view');
      const main = document.querySelector('[data-testid="stMain"]');
      const page = document.querySelector('.block-container');
      if (!slide || !main || !page) return;
      if (!w.__cldPresent) {{ w.__cldReset(); return; }}
      // The slide and the Next button must show whole; the facilitator notes below them may scroll.
      const next = document.querySelector('.st-key-workshop_next');
      const over = () => (next ? next.getBoundingClientRect().bottom : slide.getBoundingClientRect().bottom)
        > main.getBoundingClientRect().bottom - 4;
      let text = parseFloat(page.style.getPropertyValue('--cld-text') || '1');
      while (over() && text > 0.56) {{ text -= 0.05; page.style.setProperty('--cld-text', text.toFixed(2)); }}
    }};
    let timer = null;
    const later = () => {{ clearTimeout(timer); timer = setTimeout(w.__cldFit, 120); }};
    new MutationObserver(later).observe(document.body, {{subtree: true, childList: true}});
    w.__cldReset = () => {{
      const page = document.querySelector('.block-container');
      if (page) page.style.removeProperty('--cld-text');
    }};
    w.addEventListener('resize', () => {{ w.__cldReset(); later(); }});
  }}
  w.__cldReset();
  w.__cldFit();
  setTimeout(w.__cldFit, 300);
}})();
</script>"""


def navigation(current: Deck, number: int, *, present: bool = False) -> None:
    """Previous / next (also the ← and → keys) and where we are; each slide opens at its top (and, in Present
    mode, fits the window)."""
    count = len(current.slides)
    identity = f"{current.org_name}|{count}|{number}|{present}"
    if st.session_state.get("workshop_scrolled") != identity:  # only on a new slide: reading further is allowed
        st.session_state["workshop_scrolled"] = identity
        script = SLIDE_SCRIPT.format(identity=escape_attribute(identity), present="true" if present else "false")
        st.html(script, unsafe_allow_javascript=True, width="content")
    left, middle, right = st.columns([1, 2, 1], vertical_alignment="center")
    left.button(
        "Previous",
        on_click=_step,
        args=(-1, count),
        disabled=number == 0,
        shortcut="Left",
        key="workshop_previous",
        width="stretch",
    )
    middle.markdown(f"Slide {number + 1} of {count}", text_alignment="center")
    right.button(
        "Next",
        on_click=_step,
        args=(1, count),
        disabled=number == count - 1,
        shortcut="Right",
        key="workshop_next",
        width="stretch",
        type="primary",
    )


def draw_slide(slide: Slide, *, present: bool) -> None:
    """One slide in large type: title, headline, chart beside its points, the discussion prompt, the notes."""
    st.markdown(SLIDE_CSS, unsafe_allow_html=True)
    with st.container(key="workshop_slide_view", border=True):
        st.markdown(f"# {escape(slide.title)}")
        if slide.headline:
            st.markdown(f"### {escape(slide.headline)}")
        points = "\n".join(f"- {escape(point)}" for point in slide.points)
        if slide.figure is not None and slide.figure.kind in WIDE:
            display.chart(
                figure_chart(slide.figure, large=present), key=f"workshop_chart_{slide.key}", downloadable=False
            )
            if points:
                st.markdown(points)
        elif slide.figure is not None:
            chart_side, text_side = st.columns([3, 2], gap="large")
            with chart_side:
                display.chart(
                    figure_chart(slide.figure, large=present), key=f"workshop_chart_{slide.key}", downloadable=False
                )
            if points:
                text_side.markdown(points)
        elif points:
            st.markdown(points)
        if slide.prompt:
            st.info(escape(slide.prompt), icon=":material/forum:")
    if not present:  # in Present mode the notes come after Previous / Next (see notes)
        notes(slide, present=False)


def notes(slide: Slide, *, present: bool) -> None:
    """The facilitator notes, open outside Present mode."""
    with st.expander("Facilitator notes", expanded=not present, icon=":material/sticky_note_2:"):
        st.markdown(escape(slide.notes) if slide.notes else "No notes for this slide.")


def present_mode() -> None:
    """Hide the sidebar and page furniture and enlarge the type (CSS only; nothing about the data changes)."""
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)


def _file_stem(current: Deck) -> str:
    scope = current.scope if current.scope != WHOLE_ORGANIZATION else ""
    return slug(f"{current.org_name} {scope} {current.waves[-1]}") or "workshop"


def downloads(current: Deck, slide: Slide, filters: Filters, org: OrgData) -> None:
    """The deck as PowerPoint, this slide's chart as PNG and SVG, and the results workbook (facilitators of the
    organization only; each download is written to the audit log with who made it)."""
    auth.require(org.org, FACILITATOR)
    stem = _file_stem(current)
    columns = st.columns(4)
    columns[0].download_button(
        "Deck (.pptx)",
        data=auth.audited(
            lambda: deck_pptx(current, images=deck_images(current)), role=FACILITATOR, org=org.org, what=f"{stem}.pptx"
        ),
        file_name=f"{stem}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        icon=":material/slideshow:",
        on_click="ignore",
        help="Every slide, charts as pictures, facilitator notes as speaker notes.",
    )
    if slide.figure is not None:
        figure = slide.figure
        columns[1].download_button(
            "Chart (.png)",
            data=auth.audited(
                lambda: chart_png(image_spec(figure)), role=FACILITATOR, org=org.org, what=f"{stem}-{slide.key}.png"
            ),
            file_name=f"{stem}-{slide.key}.png",
            mime="image/png",
            icon=":material/image:",
            on_click="ignore",
        )
        columns[2].download_button(
            "Chart (.svg)",
            data=auth.audited(
                lambda: chart_svg(image_spec(figure)), role=FACILITATOR, org=org.org, what=f"{stem}-{slide.key}.svg"
            ),
            file_name=f"{stem}-{slide.key}.svg",
            mime="image/svg+xml",
            icon=":material/image:",
            on_click="ignore",
        )
    settings = data.settings()
    rosters = data.store().rosters(filters.org)  # read now: Streamlit makes the file later, outside the session
    name = current.org_name
    workbook_name = f"{slug(f'{name} {filters.wave}') or 'results'}.xlsx"
    columns[3].download_button(
        "Results workbook (.xlsx)",
        data=auth.audited(
            lambda: workbook_xlsx(
                results_workbook(
                    org.frame,
                    org.codebook,
                    org_name=name,
                    wave=filters.wave,
                    compare=filters.compare,
                    restriction=filters.restriction,
                    settings=settings,
                    rosters=rosters,
                )
            ),
            org=org.org,
            what=workbook_name,
        ),
        file_name=workbook_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table:",
        on_click="ignore",
        help=f"One sheet per view for the sidebar's selection ({filters.describe()}), with the filters printed "
        "on every sheet.",
    )


def protocol_caption() -> str:
    """The data-dialogue questions in one line, for the page's caption."""
    return " · ".join(question for _, question in PROTOCOL)
