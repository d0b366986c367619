"""Glue for the staff pages (upload and manage): reading an upload, the mapping editor, saving, tables."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from survey_model.access import EVERY, STAFF, Grant
from survey_model.codebook import Codebook, codebook_from_spreadsheet, spreadsheet_template
from survey_model.exports import csv_bytes, export_table
from survey_model.importers import (
    RESPONDENT_ID_TARGET,
    ExportReadError,
    ImportResult,
    RawExport,
    import_raw,
    read_export,
)
from survey_model.organizations import foreign_schools as foreign_schools_issue
from survey_model.plurals import counted
from survey_model.store import MappingProfile, School, Store, StoreError
from survey_model.validation import ValidationReport
from ui import auth, data

IGNORE = "(ignore)"
ACCESS_NOTE = (
    "Staff pages: only people granted *staff* on an organization see it here (People and access). Every change is "
    "recorded in the audit log with your sign-in."
)
PLATFORM_NAMES = {
    "qualtrics": "Qualtrics",
    "surveymonkey": "SurveyMonkey",
    "google_forms": "Google Forms",
    "ms_forms": "Microsoft Forms",
    "generic": "Plain table",
}
GROUPS = ["", "cohort", "comparison"]


def user() -> str:
    """Who is acting, for the audit log: the signed-in e-mail address (:func:`ui.auth.user_name`)."""
    return auth.user_name()


# ---------------------------------------------------------------------------------------------------------------
# Codebooks


def codebook_section(store: Store) -> None:
    """Template download, upload of a partner's codebook spreadsheet with its validation report."""
    template = spreadsheet_template()
    left, right = st.columns(2)
    left.download_button(
        "Download the codebook template (CSV)",
        data=csv_bytes(template),
        file_name="codebook-template.csv",
        mime="text/csv",
        key="codebook_template",
    )
    left.caption(
        "One row per item: item_id, text, condition_id, condition_name, condition_group, reverse (yes/no), "
        "scale (agree5, agree4, frequency5, yes_no_unsure, yes_no) and role (condition, leader_identity, "
        "formal_role, leader_scale, attribute)."
    )
    upload = right.file_uploader("Upload a codebook (.xlsx or .csv)", type=["xlsx", "csv"], key="codebook_upload")
    if upload is None:
        return
    codebook, report = codebook_from_spreadsheet(upload.getvalue(), filename=upload.name)
    if codebook is None:
        st.error(f"The codebook cannot be used: {report.summary()}.")
        show_report(report)
        return
    st.success(
        f"“{codebook.name}”: {len(codebook.conditions)} conditions, {len(codebook.condition_items)} condition items"
        + (", with a leader-identity block." if codebook.leader else ", no leader-identity block.")
    )
    if report.issues:
        show_report(report)
    if st.button("Store this codebook", key="codebook_store"):
        stored = store.save_codebook(codebook, user=user())
        st.success(f"Stored codebook {stored.id} version {stored.version}; choose it on the Upload page.")


# ---------------------------------------------------------------------------------------------------------------
# Reading an upload


@dataclass(frozen=True)
class UploadOutcome:
    """An import result, or the message explaining why the file could not be read."""

    result: ImportResult | None
    message: str = ""


def overrides_key(raw: bytes) -> str:
    """Session-state key for the mapping edits of one uploaded file."""
    return "mapping_overrides_" + hashlib.sha256(raw).hexdigest()[:16]


@st.cache_resource(max_entries=2, ttl=900, show_spinner="Reading the export…")
def _read(digest: str, filename: str, _raw: bytes) -> RawExport | str:
    # One read per uploaded file (keyed by its content hash): a mapping edit re-maps the cells already read
    # instead of parsing the whole file again (about 0.5 s of CPU at 100,000 rows). cache_resource, not
    # cache_data: the cells are only read, never changed, so no copy per rerun; kept briefly (the raw cells
    # still hold the personal columns the import drops).
    try:
        return read_export(_raw, filename)
    except ExportReadError as error:
        return str(error)


@st.cache_data(max_entries=8, show_spinner="Reading the export…")
def _import(
    digest: str,
    filename: str,
    codebook: Codebook,
    profile: dict | None,
    edits: tuple[tuple[str, str], ...],
    _raw: bytes,
) -> UploadOutcome:
    raw = _read(digest, filename, _raw)
    if isinstance(raw, str):
        return UploadOutcome(None, raw)
    mapping: dict = dict(profile or {})
    mapping.update(dict(edits))  # the importer reads extra "c<position>" keys beside a profile as manual edits
    return UploadOutcome(import_raw(raw, codebook, mapping=mapping or None))


def read_upload(
    raw: bytes, filename: str, codebook: Codebook, profile: MappingProfile | None, edits: Mapping[str, str]
) -> UploadOutcome:
    """Import the uploaded bytes with a saved profile and the user's edits applied (cached per content)."""
    digest = hashlib.sha256(raw).hexdigest()
    mapping = dict(profile.mapping) if profile else None
    return _import(digest, filename, codebook, mapping, tuple(sorted(edits.items())), raw)


def show_detection(result: ImportResult) -> None:
    """Platform, layout, encoding and counts, then what was left out and why."""
    counts = result.report.counts
    columns = st.columns(4)
    columns[0].metric("Platform", PLATFORM_NAMES.get(result.platform, result.platform))
    columns[1].metric("Rows read", f"{counts.get('rows_read', 0):,}")
    columns[2].metric("Respondents kept", f"{len(result.frame):,}")
    columns[3].metric("Left out", f"{sum(result.excluded.values()):,}")
    st.caption(f"Layout: {result.layout} · encoding: {result.encoding}")
    left_out = {reason: count for reason, count in result.excluded.items() if count}
    if left_out:
        st.markdown(
            "Left out: " + ", ".join(f"{count} {reason.replace('_', ' ')}" for reason, count in left_out.items())
        )
    if result.dropped_personal_data:
        st.markdown(
            "**Personal data dropped (never stored):** " + ", ".join(f"`{c}`" for c in result.dropped_personal_data)
        )
    if result.duplicates:
        appear = "appears" if result.duplicates == 1 else "appear"
        st.warning(f"{counted(result.duplicates, 'respondent')} {appear} more than once in this file (see the report).")
    with st.expander("Preview of the cleaned data (first rows, no personal data)"):
        st.dataframe(result.preview, hide_index=True)


def _target_options(codebook: Codebook) -> list[str]:
    return [IGNORE, RESPONDENT_ID_TARGET, *codebook.attribute_ids, *codebook.item_ids]


def _target_text(codebook: Codebook, target: str) -> str:
    if target in codebook.item_ids:
        return codebook.item(target).text
    if target in codebook.attribute_ids:
        return f"Attribute: {codebook.attribute(target).label}"
    return "Stable respondent ID (stored only as a keyed hash)" if target == RESPONDENT_ID_TARGET else ""


def mapping_table(result: ImportResult, codebook: Codebook) -> pd.DataFrame:
    """One row per question column of the export: its label, what it maps to, how and how well."""
    entries = {entry.position: entry for entry in result.mapping.entries}
    rows = []
    for column, role in zip(result.columns, result.roles, strict=True):
        entry = entries.get(column.position)
        if role != "question" and entry is None:
            continue
        target = entry.target if entry and entry.target else IGNORE
        rows.append(
            {
                "Column": column.label,
                "Maps to": target,
                "Codebook text": _target_text(codebook, target),
                "Matched by": entry.method if entry and entry.target else "not matched",
                "Score": round(entry.score, 2) if entry and entry.target else None,
                "position": column.position,
            }
        )
    return pd.DataFrame(rows).set_index("position")


def mapping_column_config(codebook: Codebook) -> dict:
    """Editor settings: the target is a choice among the codebook's items and attributes."""
    return {
        "Maps to": st.column_config.SelectboxColumn(
            "Maps to",
            options=_target_options(codebook),
            required=True,
            help="Item or attribute id of the codebook; (ignore) leaves the column out.",
        ),
        "Codebook text": st.column_config.TextColumn("Codebook text", width="large"),
    }


def edits_from(edited: pd.DataFrame, shown: pd.DataFrame, edits: Mapping[str, str]) -> dict[str, str]:
    """The user's edits so far plus the rows changed in the editor, as ``{"c<position>": target}``."""
    merged = dict(edits)
    for position, row in edited.iterrows():
        if row["Maps to"] != shown.loc[position, "Maps to"]:
            merged[f"c{position}"] = "" if row["Maps to"] == IGNORE else str(row["Maps to"])
    return merged


def foreign_schools(store: Store, org_id: str, frame: pd.DataFrame) -> str:
    """The :func:`survey_model.organizations.foreign_schools` warning as one line, or ``""``.

    The organization's schools are those its stored waves name (cached per data version).
    """
    if not store.waves(org_id):
        return ""
    name = next((org.name for org in store.organizations() if org.id == org_id), org_id)
    issue = foreign_schools_issue(frame, data.filter_options(org_id)["school"], org_name=name)
    return f"{issue.message} {issue.action}" if issue else ""


def show_report(report: ValidationReport) -> None:
    """The validation report: a one-line verdict, then every issue in a table (errors first)."""
    if not report.issues:
        st.success("No problems found.")
        return
    summary = report.summary()
    if report.errors:
        st.error(f"{summary}. Errors block storing the wave.")
    elif report.warnings:
        st.warning(f"{summary}. Warnings do not block storing.")
    else:  # notes only: what the import did (e.g. rows it left out), nothing to fix
        st.success("No problems found. The notes below say what the import did with the file.")
    table = report.to_frame()
    table.columns = [c.capitalize() for c in table.columns]
    # Nothing cut at 1280 px: the error and its fix wrap within their columns (a row taller than 4rem lets
    # Streamlit's grid wrap text), the short columns stay narrow.
    widths = {"Severity": 70, "Code": 110, "Message": 300, "Action": 300, "Row": 55, "Column": 110, "Value": 90}
    config = {name: st.column_config.TextColumn(name, width=width) for name, width in widths.items()}
    config["Count"] = st.column_config.NumberColumn("Count", width=60)
    st.dataframe(table, hide_index=True, width="stretch", column_config=config, row_height=96)


def show_what_will_be_stored(result: ImportResult, codebook: Codebook, org_name: str, label: str) -> None:
    """Exactly what a confirmation writes, in plain words."""
    items = [i for i in codebook.item_ids if i in result.frame.columns]
    attributes = [a for a in codebook.attribute_ids if a in result.frame.columns]
    attribute_names = [codebook.attribute(a).label for a in attributes]
    linked = int((result.frame["respondent_id"].astype(str) != "").sum()) if "respondent_id" in result.frame else 0
    st.markdown(
        f"- **{counted(len(result.frame), 'respondent')}** as wave **{label or '…'}** of **{org_name or '…'}**, "
        f"scored with *{codebook.name}* v{codebook.version}\n"
        f"- **{len(items)} of {len(codebook.item_ids)} items**"
        + (
            f" (missing: {', '.join(i for i in codebook.item_ids if i not in items)})"
            if len(items) < len(codebook.item_ids)
            else ""
        )
        + f"\n- **{len(attributes)} attributes**: {', '.join(attribute_names) or 'none'}\n"
        f"- **{linked:,} respondent IDs**, stored only as keyed hashes (so waves can be linked without keeping IDs)\n"
        "- No names, emails, IP addresses, locations or other personal data"
    )


def save(
    store: Store,
    *,
    org_id: str,
    org_name: str,
    label: str,
    date: dt.date,
    codebook: Codebook,
    raw: bytes,
    result: ImportResult,
    replace: bool,
    on_progress: Callable[[float], None],
) -> SaveOutcome:
    """Store the wave; a database problem becomes a message, never a traceback."""
    # Staff of this organization, or (for a new one) of every organization.
    auth.require(org_id if store.organization(org_id) is not None else EVERY, STAFF)
    try:
        store.ensure_organization(org_id, org_name, user=user())
        saved = store.save_wave(
            org_id,
            label.strip(),
            result.frame,
            codebook=codebook,
            platform=result.platform,
            file_sha256=hashlib.sha256(raw).hexdigest(),
            user=user(),
            date=date,
            replace=replace,
            counts=result.report.counts,
            on_progress=lambda done, total: on_progress(done / total if total else 1.0),
        )
    except (StoreError, ValueError) as error:  # ValueError: an argument the store refuses, e.g. a bad id
        return SaveOutcome(False, "The wave was not stored", str(error))
    headline = {"saved": "Wave stored", "replaced": "Wave replaced"}.get(saved.status, "Nothing was stored")
    return SaveOutcome(saved.ok, headline, saved.message)


@dataclass(frozen=True)
class SaveOutcome:
    """What happened when the user confirmed."""

    ok: bool
    headline: str
    message: str


# ---------------------------------------------------------------------------------------------------------------
# Manage page tables


def waves_table(waves: list) -> pd.DataFrame:
    """Stored waves as a display table."""
    return pd.DataFrame(
        {
            "Wave": [w.label for w in waves],
            "Date": [w.date.isoformat() if w.date else "" for w in waves],
            "Platform": [w.platform for w in waves],
            "Respondents": [w.n_respondents for w in waves],
            "Codebook": [f"{w.codebook_id} v{w.codebook_version}" for w in waves],
            "Imported (UTC)": [w.imported_at.strftime("%Y-%m-%d %H:%M") for w in waves],
            "By": [w.imported_by for w in waves],
        }
    )  # the file's SHA-256 is in the audit log below: the table fits 1280 px without it


def cleaned_csv(store: Store, org_id: str) -> bytes:
    """The organization's cleaned responses as a formula-safe CSV (the page asks the gate: this runs when the
    button is clicked, outside the session)."""
    frame = store.load_responses(org_id)
    codebooks = {w.label: store.codebook_for(org_id, wave=w.label) for w in store.waves(org_id)}
    return csv_bytes(export_table(frame, codebooks))


def _in_words(value: object) -> object:
    """``{"rows_read": 493, "duplicates": 0}`` as ``rows read 493; duplicates 0`` (other values unchanged)."""
    import json

    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return value
    if isinstance(parsed, dict):
        return "; ".join(f"{str(key).replace('_', ' ')} {item}" for key, item in parsed.items())
    return value


def audit_table(log: pd.DataFrame, *, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The audit log with readable headers and blanks instead of missing values; organizations by ``names`` (id →
    display name) where given, file hashes shortened to their first 12 characters."""
    log = log.copy()
    if names and "organization" in log.columns:
        log["organization"] = log["organization"].map(lambda org: names.get(org, org))
    if "file_sha256" in log.columns:
        log["file_sha256"] = log["file_sha256"].map(lambda sha: f"{sha[:12]}…" if isinstance(sha, str) and sha else sha)
    if "at" in log.columns:
        log["at"] = log["at"].astype("string").str.slice(0, 16)
    for column in ("counts", "details"):  # JSON in words with spaces, so a narrow column can wrap it
        if column in log.columns:
            log[column] = log[column].map(_in_words)
    table = log.rename(
        columns={
            "at": "When (UTC)",
            "user": "Who",
            "action": "Action",
            "organization": "Organization",
            "wave": "Wave",
            "file_sha256": "File SHA-256",
            "counts": "Counts",
            "details": "Details",
        }
    )
    table["Action"] = table["Action"].str.replace("_", " ")
    return table.astype({"Wave": "string", "File SHA-256": "string"}).fillna("")


def schools_table(store: Store, org_id: str, answered: list[str], *, extra: str = "") -> pd.DataFrame:
    """The organization's school list (level, comparison group and every further attribute, one column each) with
    every school the waves name, for the editor (staff of the organization only).

    ``answered``: the schools the stored waves name (from the cached filter options, not a fresh read of every
    stored response). ``extra``: the name of a further attribute to add as an empty column.
    """
    auth.require(org_id, STAFF)
    known = {school.name: school for school in store.schools(org_id)}
    names = sorted(set(known) | set(answered) - {""})
    further = sorted({name for school in known.values() for name, _ in school.attributes} | ({extra} - {""}))
    return pd.DataFrame(
        {
            "School": names,
            "Level": [known[name].level if name in known else "" for name in names],
            "Group": [known[name].group if name in known else "" for name in names],
            **{
                attribute: [known[name].attribute(attribute) if name in known else "" for name in names]
                for attribute in further
            },
        }
    )


def school_column_config() -> dict:
    """Column settings of the school-group editor."""
    return {
        "Level": st.column_config.TextColumn(
            "Level", help="Elementary, Middle, High, K-8…: figures by level use this, never respondents' answers"
        ),
        "Group": st.column_config.SelectboxColumn("Group", options=GROUPS, help="cohort, comparison or blank"),
    }


def schools_from(table: pd.DataFrame) -> list[School]:
    """Schools from the edited table."""
    further = [column for column in table.columns if column not in {"School", "Level", "Group"}]
    return [
        School(
            str(row["School"]),
            str(row["Group"] or ""),
            str(row["Level"] or ""),
            tuple(sorted((column, str(row[column])) for column in further if pd.notna(row[column]) and row[column])),
        )
        for _, row in table.iterrows()
    ]


# ---------------------------------------------------------------------------------------------------------------
# People and access page tables

ACCESS_ACTIONS = ("grant_access", "revoke_access", "download")


def grants_table(grants: list[Grant], names: Mapping[str, str]) -> pd.DataFrame:
    """Grants as a display table (who, kind, role, organization, by whom, when)."""
    return pd.DataFrame(
        {
            "Who": [g.subject for g in grants],
            "Kind": ["everyone in the domain" if g.is_domain else "one person" for g in grants],
            "Role": [g.role for g in grants],
            "Organization": ["every organization" if g.org == EVERY else names.get(g.org, g.org) for g in grants],
            "Granted by": [g.granted_by for g in grants],
            "When (UTC)": [g.granted_at.strftime("%Y-%m-%d %H:%M") if g.granted_at else "" for g in grants],
        }
    )


def access_audit(log: pd.DataFrame, organizations: list[str], *, everywhere: bool) -> pd.DataFrame:
    """Grants, revocations and downloads from the audit log, limited to the given organizations (and the grants
    on every organization when ``everywhere``)."""
    wanted = log[log["action"].isin(ACCESS_ACTIONS)]
    org = wanted["details"].map(lambda details: details.get("organization", ""))
    keep = org.isin(organizations) | (everywhere & (org == EVERY))
    table = audit_table(wanted[keep]).drop(columns=["Organization", "Wave", "File SHA-256", "Counts"])
    table.insert(3, "Organization", org[keep].replace(EVERY, "every organization"))
    return table.iloc[::-1].reset_index(drop=True)  # newest first
