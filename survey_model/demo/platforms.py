"""Write the demo network the way the three survey platforms export it.

Layouts follow ``research/formats.md`` (checked against real exports in ``shared/real-exports/``):

* **Google Forms CSV** (wave 1): one header row, ``Timestamp`` (US ``4/15/2024 9:03:11``) and ``Email Address``
  first, one column per question headed by its full text, grid rows as ``<grid question> [<row>]``, CRLF.
* **SurveyMonkey XLSX** (wave 2): two header rows. Row 1: the nine metadata headers, then each question's text
  over its first column (merged across a matrix's columns); row 2: blank over metadata, ``Response`` under a
  single-choice question, ``Open-Ended Response`` under a typed answer, the row text under each matrix row.
  Respondent and collector IDs are numbers, dates are real datetimes. The workbook is byte-stable: fixed
  document properties and zip timestamps.
* **Qualtrics CSV, choice text** (wave 3): three header rows (export tags; labels with ``"<matrix> - <row>"``;
  ``{"ImportId": ...}`` JSON with the time zone on date columns), the seventeen metadata columns, the
  embedded-data field ``StaffID`` last, one ``Survey Preview`` row and two partial rows. CRLF.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from survey_model.demo.network import (
    COHORT,
    COMPARISON,
    DONT_KNOW,
    ORGANIZATION,
    OTHER,
    PREFER_NOT,
    DemoNetwork,
    DemoOrganization,
    DemoWave,
    SurveyQuestion,
)
from survey_model.responses import WAVE

SCHOOLS_FILE = "schools.csv"
ROSTERS_FILE = "rosters.csv"
TRUTH_FILE = "truth.json"
README_FILE = "README.md"
EXTENSIONS: Mapping[str, str] = {"google-forms": "csv", "surveymonkey": "xlsx", "qualtrics": "csv"}
HEADER_ROWS: Mapping[str, int] = {"google-forms": 1, "surveymonkey": 2, "qualtrics": 3}

SURVEYMONKEY_METADATA = (
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
)
QUALTRICS_METADATA: tuple[tuple[str, str, str], ...] = (
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
    ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
)
"""Export tag, row-2 label and ImportId of each Qualtrics metadata column, in export order."""
QUALTRICS_TIME_ZONE = "America/Chicago"
QUALTRICS_STAFF_ID = "StaffID"

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def export_name(organization: DemoOrganization, wave: DemoWave) -> str:
    """File name of one export, e.g. ``cedar-valley_2024-spring_google-forms.csv``."""
    return f"{organization.id}_{wave.id}_{wave.platform}.{EXTENSIONS[wave.platform]}"


def write_exports(network: DemoNetwork, out_dir: str | Path) -> tuple[Path, ...]:
    """Write one export per organization per wave, ``schools.csv``, ``truth.json`` and ``README.md``.

    Parameters
    ----------
    network : DemoNetwork
        From :func:`survey_model.demo.generate`.
    out_dir : str or Path
        Folder to write into (created when missing); existing files of the same names are replaced.

    Returns
    -------
    tuple of Path
        The files written, exports first.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    files: list[dict[str, object]] = []
    for wave in network.waves:
        for organization in network.organizations:
            rows = network.answers[
                (network.answers[ORGANIZATION] == organization.id).to_numpy()
                & (network.answers[WAVE] == wave.label).to_numpy()
            ].reset_index(drop=True)
            path = out / export_name(organization, wave)
            _WRITERS[wave.platform](rows, network.questions, path, wave)
            written.append(path)
            files.append(_file_facts(path, organization, wave, rows, network))
    written.append(_write_schools(network, out / SCHOOLS_FILE))
    written.append(_write_rosters(network, out / ROSTERS_FILE))
    truth = {**network.truth, "files": files}
    truth_path = out / TRUTH_FILE
    truth_path.write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(truth_path)
    readme = out / README_FILE
    readme.write_text(_readme(network, truth), encoding="utf-8")
    written.append(readme)
    return tuple(written)


# --------------------------------------------------------------------------------------------------------------
# Google Forms


def _google_forms(rows: pd.DataFrame, questions: Sequence[SurveyQuestion], path: Path, wave: DemoWave) -> None:
    header, keys = ["Timestamp", "Email Address"], []
    for question in questions:
        if question.rows:
            for item_id, text in question.rows:
                header.append(f"{question.text} [{text}]")
                keys.append(item_id)
        else:
            header.append(question.text)
            keys.append(question.key)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for record in rows.to_dict("records"):
            stamp = record["submitted_at"]
            timestamp = f"{stamp.month}/{stamp.day}/{stamp.year} {stamp.hour}:{stamp.minute:02d}:{stamp.second:02d}"
            writer.writerow([timestamp, record["email"], *(_text(record[key]) for key in keys)])


# --------------------------------------------------------------------------------------------------------------
# SurveyMonkey


def _surveymonkey(rows: pd.DataFrame, questions: Sequence[SurveyQuestion], path: Path, wave: DemoWave) -> None:
    from openpyxl import Workbook  # here, not at the top: the command line imports this module on every start

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet"
    first: list[object] = list(SURVEYMONKEY_METADATA)
    second: list[object] = [None] * len(SURVEYMONKEY_METADATA)
    keys: list[str] = []
    merges: list[tuple[int, int]] = []
    for question in questions:
        if question.rows:
            merges.append((len(first) + 1, len(first) + len(question.rows)))
            first.extend([question.text] + [None] * (len(question.rows) - 1))
            second.extend(text for _, text in question.rows)
            keys.extend(item_id for item_id, _ in question.rows)
        else:
            first.append(question.text)
            second.append("Open-Ended Response" if question.key == "staff_id" else "Response")
            keys.append(question.key)
    sheet.append(first)
    sheet.append(second)
    for start, end in merges:
        sheet.merge_cells(start_row=1, start_column=start, end_row=1, end_column=end)
    for record in rows.to_dict("records"):
        sheet.append(
            [
                int(record["response_id"]),
                int(record["collector_id"]),
                record["started_at"].to_pydatetime(),
                record["submitted_at"].to_pydatetime(),
                record["ip_address"],
                _text(record["email"]) or None,
                _text(record["first_name"]) or None,
                _text(record["last_name"]) or None,
                None,
                *(_text(record[key]) or None for key in keys),
            ]
        )
    for column in ("C", "D"):
        for cell in sheet[column][2:]:
            cell.number_format = "m/d/yyyy h:mm:ss AM/PM"
    stamp = datetime.combine(wave.closes, datetime.min.time())
    workbook.properties.creator = "SurveyMonkey"
    workbook.properties.created = stamp
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_stable_zip(buffer.getvalue(), stamp))


def _stable_zip(data: bytes, stamp: datetime) -> bytes:
    """Re-pack an XLSX with fixed member timestamps and a fixed *modified* date, so equal content is equal bytes.

    openpyxl stamps ``docProps/core.xml`` and every zip member with the time of saving.
    """
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(<)", rf"\g<1>{iso}\g<2>", text)
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(<)", rf"\g<1>{iso}\g<2>", text)
                content = text.encode("utf-8")
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, content)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------------------
# Qualtrics


def _qualtrics_columns(questions: Sequence[SurveyQuestion]) -> list[tuple[str, str, str, str]]:
    """``(export tag, label, ImportId, answers key)`` of every question column, ``Q1``, ``Q2``, ``Q7_1`` ..."""
    columns = []
    number = 0
    for question in questions:
        if question.key == "staff_id":
            continue  # Qualtrics carries the Staff ID as embedded data, not as a question
        number += 1
        if question.rows:
            for row, (item_id, text) in enumerate(question.rows, start=1):
                columns.append((f"Q{number}_{row}", f"{question.text} - {text}", f"QID{number}_{row}", item_id))
        else:
            columns.append((f"Q{number}", question.text, f"QID{number}", question.key))
    return columns


def _qualtrics(rows: pd.DataFrame, questions: Sequence[SurveyQuestion], path: Path, wave: DemoWave) -> None:
    columns = _qualtrics_columns(questions)
    tags = [tag for tag, _, _ in QUALTRICS_METADATA] + [c[0] for c in columns] + [QUALTRICS_STAFF_ID]
    labels = [label for _, label, _ in QUALTRICS_METADATA] + [c[1] for c in columns] + ["Staff ID"]
    import_ids = []
    for _, _, import_id in QUALTRICS_METADATA:
        entry = {"ImportId": import_id}
        if import_id in ("startDate", "endDate", "recordedDate"):
            entry["timeZone"] = QUALTRICS_TIME_ZONE
        import_ids.append(entry)
    import_ids += [{"ImportId": c[2]} for c in columns] + [{"ImportId": QUALTRICS_STAFF_ID}]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(tags)
        writer.writerow(labels)
        writer.writerow([json.dumps(entry, separators=(",", ":")) for entry in import_ids])
        for record in rows.to_dict("records"):
            preview = record["kind"] == "preview"
            named = record["channel"] == "email"
            metadata = [
                _qualtrics_time(record["started_at"]),
                _qualtrics_time(record["submitted_at"]),
                "Survey Preview" if preview else "IP Address",
                _text(record["ip_address"]),
                str(int(record["progress"])),
                str(int((record["submitted_at"] - record["started_at"]).total_seconds())),
                "False" if record["kind"] == "partial" else "True",
                _qualtrics_time(record["recorded_at"]),
                record["response_id"],
                _text(record["last_name"]) if named else "",
                _text(record["first_name"]) if named else "",
                _text(record["email"]) if named else "",
                "",
                repr(float(np.float32(record["latitude"]))),
                repr(float(np.float32(record["longitude"]))),
                _text(record["channel"]),
                "EN",
            ]
            writer.writerow([*metadata, *(_text(record[c[3]]) for c in columns), _text(record["staff_id"])])


def _qualtrics_time(value: pd.Timestamp) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


_WRITERS = {"google-forms": _google_forms, "surveymonkey": _surveymonkey, "qualtrics": _qualtrics}


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else str(value)


# --------------------------------------------------------------------------------------------------------------
# schools.csv, facts about each file, README


def _write_schools(network: DemoNetwork, path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["organization", "school", "school_level", "group", "title_i"])
        for organization in network.organizations:
            for school in organization.schools:
                title_i = "Title I" if school.title_i else "Not Title I"
                writer.writerow([organization.id, school.name, school.level, school.group, title_i])
    return path


def _write_rosters(network: DemoNetwork, path: Path) -> Path:
    """Educators on each school's roster per wave: what staff would upload for response rates."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["organization", "wave", "school", "staff"])
        for row in network.truth["rosters"]:
            writer.writerow([row["organization"], row["wave"], row["school"], row["staff"]])
    return path


def _file_facts(
    path: Path, organization: DemoOrganization, wave: DemoWave, rows: pd.DataFrame, network: DemoNetwork
) -> dict[str, object]:
    header_rows = HEADER_ROWS[wave.platform]
    condition_items = [item.id for item in network.codebook.condition_items]

    def facts(kind: str) -> list[dict[str, object]]:
        picked = rows.index[rows["kind"] == kind]
        return [
            {
                "file_row": int(header_rows + index + 1),
                "response_id": str(rows.at[index, "response_id"]),
                "staff_id": str(rows.at[index, "staff_id"]),
                "progress": int(rows.at[index, "progress"]),
                "condition_items_answered": int((rows.loc[index, condition_items] != "").sum()),
            }
            for index in picked
        ]

    return {
        "path": path.name,
        "organization": organization.id,
        "wave": wave.label,
        "platform": wave.platform,
        "header_rows": header_rows,
        "data_rows": len(rows),
        "respondents": int((rows["kind"] != "preview").sum()),
        "complete": int((rows["kind"] == "complete").sum()),
        "blank_staff_ids": int(((rows["staff_id"] == "") & (rows["kind"] != "preview")).sum()),
        "partial": facts("partial"),
        "preview": facts("preview"),
    }


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _readme(network: DemoNetwork, truth: Mapping[str, Any]) -> str:
    answers = network.answers
    real = answers[answers["kind"] != "preview"]
    codebook = network.codebook
    lines = [
        "# Demo data: a fictional network of schools",
        "",
        "Everything in this folder is **fictional** and generated by `survey_model.demo` "
        f"(seed {network.seed}). Do not edit by hand: regenerate with",
        "",
        "```bash",
        f"python -m survey_model demo --seed {network.seed} --out data_samples",
        "```",
        "",
        "`tests/test_demo.py` regenerates the files and checks that every cell is unchanged, that the planted "
        "effects are recovered by `survey_model.scoring`, and that the folder stays under 2 MB.",
        "",
        f"The survey is the `{codebook.id}` codebook (version {codebook.version}): item wordings, answer labels and "
        "attribute options come from it. Names, e-mail addresses (`.example` domains), IP addresses (RFC 5737 "
        "documentation ranges) and locations are made up.",
        "",
        "## Organizations and schools",
        "",
        "| organization | school | level | staff | group | " + " | ".join(w.label for w in network.waves) + " |",
        "|---|---|---|---:|---|" + "---:|" * len(network.waves),
    ]
    counts = real.groupby([ORGANIZATION, "school", WAVE]).size()
    for organization in network.organizations:
        for school in organization.schools:
            cells = [str(int(counts.get((organization.id, school.name, w.label), 0))) for w in network.waves]
            lines.append(
                f"| {organization.name} | {school.name} | {school.level} | {school.staff} | "
                f"{school.group or '—'} | " + " | ".join(cells) + " |"
            )
    totals = [str(int((real[WAVE] == w.label).sum())) for w in network.waves]
    lines += [
        "| **network** | | | "
        + str(sum(s.staff for o in network.organizations for s in o.schools))
        + " | | "
        + " | ".join(totals)
        + " |",
        "",
        "Staff counts are positions; the wave columns count respondents (previews left out, partial responses "
        "included). "
        "Cohort schools joined the district's collective-leadership work after the first survey; comparison "
        "schools did not. Harbor Point, Lakeshore and Pine Ridge have no cohort marking; all four organizations "
        "form the Great Lakes Network, so each partner sees the pooled network beside its own figures. At "
        "Lakeshore Middle School only about a quarter of the educators answer each wave (the planted low-response "
        "school). `schools.csv` lists every school with its level "
        "and group, so the app can mark cohort schools. `rosters.csv` gives the educators on each school's roster "
        "in each wave (positions plus staff who moved in), from which the app shows response rates.",
        "",
        "## Waves and files",
        "",
        "| wave | opens | platform | files |",
        "|---|---|---|---|",
    ]
    for wave in network.waves:
        names = ", ".join(f"`{export_name(o, wave)}`" for o in network.organizations)
        lines.append(f"| {wave.label} | {wave.opens.isoformat()} | {wave.platform} | {names} |")
    lines += [
        "",
        "Layouts follow the real platforms (`shared/research/formats.md`):",
        "",
        "* **Google Forms CSV** — one header row; `Timestamp` in US format (`4/15/2024 9:03:11`), `Email Address`, "
        "`Staff ID`, questions by full text, agreement grids as `<question> [<statement>]`; CRLF line ends.",
        "* **SurveyMonkey XLSX** — two header rows: row 1 has the nine metadata headers and each question's text "
        "(merged over a matrix's columns), row 2 `Response` / `Open-Ended Response` / the statement of each "
        "matrix row. Respondent and collector IDs are numbers, dates real datetimes. Two collectors: an e-mail "
        "invitation (names and e-mail filled) and a web link (left blank).",
        "* **Qualtrics CSV (choice text)** — three header rows: export tags (`Q7_1` for matrix rows, embedded "
        f"`{QUALTRICS_STAFF_ID}` last), labels (`<matrix> - <statement>`), ImportId JSON (time zone "
        f"{QUALTRICS_TIME_ZONE} on dates). Status `IP Address`, plus one `Survey Preview` row and two partial "
        "responses (`Finished` False) per file; CRLF line ends.",
        "",
        "Every file carries the stable person key **Staff ID** (a question on Google Forms and SurveyMonkey, "
        "embedded data on Qualtrics), so waves can be linked.",
        "",
        *_survey_section(network),
        "## Planted effects",
        "",
        'Leader identity is the share answering *Yes* to "'
        + (codebook.item(codebook.leader.item).text if codebook.leader else "")
        + '" among valid answers (Yes, No, Not sure). Percent favorable is the share of valid answers that are '
        "Agree or Strongly agree after reversing negatively worded items; the values below are the model's "
        "expectation for the realised respondents (see `truth.json`, `planted`).",
        "",
        "| organization | group | measure | " + " | ".join(w.label for w in network.waves) + " | change |",
        "|---|---|---|" + "---:|" * (len(network.waves) + 1),
    ]
    planted = truth["planted"]
    effects = truth["effects"]
    for organization in network.organizations:
        groups = [
            g
            for g in (COHORT, COMPARISON, OTHER)
            if any(p["organization"] == organization.id and p["group"] == g for p in planted)
        ]
        for group in groups:
            rows = [p for p in planted if p["organization"] == organization.id and p["group"] == group]
            effect = effects[organization.id][group]
            shares = [_pct(r["leader_identity"]["share_yes"]) for r in rows]
            change = (
                f"{effect['leader_share_change_points']:+.1f} points "
                f"({100 * effect['leader_share_relative_change']:+.0f}% relative)"
            )
            lines.append(
                f"| {organization.name} | {group} | leader identity (Yes) | " + " | ".join(shares) + f" | {change} |"
            )
            for condition in ("SI", "RN"):
                name = codebook.condition(condition).name
                values = [f"{r['conditions'][condition]['expected_pct_favorable']:.1f}%" for r in rows]
                delta = effect[f"{condition}_pct_favorable_change"]
                lines.append(
                    f"| {organization.name} | {group} | {name} (% favorable) | "
                    + " | ".join(values)
                    + f" | {delta:+.1f} points |"
                )
    shift = network.model.cohort_shift
    lines += [
        "",
        "The latent climate of cohort schools rises by "
        + ", ".join(f"{c} {' → '.join(f'{v:+.2f}' for v in shift[c])}" for c in shift)
        + " scale points across the waves; every other school climate stays flat apart from a small wobble "
        f"(SD {network.model.wave_noise_sd}). Leader-identity shares are realised exactly (to within one "
        "respondent) in each organization × wave × group: see `model.leader_identity_calibration` in "
        "`truth.json`.",
        "",
        "**What goes with leader identity.** Who says Yes is decided by a propensity that includes the respondent's "
        "own answers on "
        + " and ".join(
            f"{network.codebook.condition(c).name} (weight {w} per scale point)"
            for c, w in network.model.leader_drivers.items()
        )
        + ", and on no other condition: given these two, the other conditions do not go with Yes (`truth.json`, "
        "`model.leader_identity_drivers`). A driver analysis of any organization × wave should find these two and "
        "no other.",
        "",
        "## What real-data mess is included",
        "",
    ]
    items = [item.id for item in codebook.items]
    item_text = real[items]
    attributes = [a.id for a in codebook.attributes if a.id != "school"]
    small = truth["small_groups"]
    role_counts = real.groupby([ORGANIZATION, WAVE, "school", "role"]).size()
    rare_roles = int((role_counts[role_counts.index.get_level_values("role") != ""] < 5).sum())
    links = truth["linked_respondents"]
    files = truth["files"]
    partials = [p for f in files for p in f["partial"]]
    lines += [
        f"* **Skipped answers**: {int((item_text == '').to_numpy().sum())} blank item cells, including whole "
        "condition pages skipped by a few respondents.",
        f'* **Non-answers**: {int((item_text == DONT_KNOW).to_numpy().sum())} "{DONT_KNOW}" and '
        f'{int((item_text == PREFER_NOT).to_numpy().sum())} "{PREFER_NOT}" item answers (the leader-identity '
        'question included); "Not sure" is a valid answer to it.',
        f"* **Blank or withheld attributes**: {int((real[attributes] == '').to_numpy().sum())} blank attribute "
        f"answers (the school question is required); {int((real[attributes] == PREFER_NOT).to_numpy().sum())} "
        f'"{PREFER_NOT}" on gender or race/ethnicity.',
        f"* **Groups under 5 respondents**: {len(small)} school × wave groups ("
        + "; ".join(f"{g['school']}, {g['wave']}: {g['respondents']}" for g in small)
        + f"), and {rare_roles} school × wave × role groups with fewer than 5 (administrators, coaches, ...).",
        "* **Linked respondents**: about 60% of a wave's Staff IDs answer again the next wave ("
        + "; ".join(
            f"{ln['organization']} {ln['from_wave']} → {ln['to_wave']}: {_pct(ln['share_again'])}" for ln in links
        )
        + "). Staff leave, are hired and occasionally move between schools of the same organization.",
        "* **Blank Staff IDs**: "
        + ", ".join(f"{f['blank_staff_ids']} in `{f['path']}`" for f in files if f["blank_staff_ids"])
        + " (typed-in IDs left empty; these rows cannot be linked).",
        "* **Qualtrics preview and partials**: one `Survey Preview` row per Qualtrics file (no Staff ID, random "
        "clicks, three days before launch) and two partial responses (`Finished` False): "
        + "; ".join(
            f"`{p['response_id']}` progress {p['progress']}, {p['condition_items_answered']} of "
            f"{len(codebook.condition_items)} condition items"
            for p in partials
        )
        + ". `truth.json` (`files`) gives their row numbers.",
        "* **Personal data** to be dropped at import: e-mail addresses, names, IP addresses and locations.",
        "",
        "## Files",
        "",
        "* six exports (above);",
        "* `schools.csv` — `organization, school, school_level, group, title_i` (group `cohort`, `comparison` or "
        "empty; `title_i` a further school attribute for equity breakdowns: any further column is one);",
        "* `rosters.csv` — `organization, wave, school, staff`: educators on each school's roster in each wave;",
        "* `truth.json` — seed, waves, schools, every model parameter, the planted leader-identity shares and "
        "expected condition means and percent favorable per organization × wave × group, school climates, "
        "first-to-last changes (`effects`), groups under 5, linking rates and, per file, respondent counts and "
        "the rows that are previews or partials;",
        "* `README.md` — this file.",
        "",
        "## In code",
        "",
        "```python",
        "from survey_model.demo import generate, write_exports",
        "",
        f"network = generate(seed={network.seed})",
        "network.responses  # responses frame: organization, wave, respondent_id (= Staff ID), attributes, items",
        "network.answers    # answer texts and metadata exactly as the platforms wrote them, previews included",
        'write_exports(network, "data_samples")',
        "```",
        "",
        "`network.responses` is what the six exports hold once previews are left out, every partial response "
        "included. The importer keeps a partial response only when at least half of its codebook items are answered "
        "(`survey_model/importers/pipeline.py`), so it leaves out the 8-of-28 partial in each Qualtrics file and "
        "keeps the other; otherwise its output equals `network.responses`: answer labels recoded through the codebook "
        '("Don\'t know" and "Prefer not to answer" → −1, blanks → NaN, "Prefer not to answer" on an attribute → '
        "missing), rows in file order.",
        "",
        "The default seed was picked for a clean story: " + str(truth.get("seed_choice") or "(not the default seed)"),
        "",
    ]
    return "\n".join(lines)


def _survey_section(network: DemoNetwork) -> list[str]:
    """The survey as respondents saw it, page by page."""
    codebook = network.codebook
    lines = ["## The survey", ""]
    pages: dict[int, list[str]] = {}
    for question in network.questions:
        if question.rows:
            key = question.key.removeprefix("matrix:")
            topic = codebook.condition(key).name if key in {c.id for c in codebook.conditions} else "leader identity"
            text = f"*{question.text}* — {len(question.rows)} statements ({topic})"
        elif question.key == "staff_id":
            text = "*Staff ID* (typed; embedded data `StaffID` on Qualtrics)"
        else:
            text = f"*{question.text}*"
        pages.setdefault(question.page, []).append(text)
    for page, texts in sorted(pages.items()):
        lines.append(f"{page + 1}. " + "; ".join(texts))
    agree = codebook.scale_of(codebook.condition_items[0].id)
    lines += [
        "",
        "Agreement statements offer " + ", ".join(o.label for o in agree.options) + f", {DONT_KNOW} and "
        f"{PREFER_NOT}. The school question is required; every other question may be skipped. Partial responses "
        "stop at a page boundary.",
        "",
    ]
    return lines


__all__ = [
    "EXTENSIONS",
    "HEADER_ROWS",
    "QUALTRICS_METADATA",
    "QUALTRICS_STAFF_ID",
    "QUALTRICS_TIME_ZONE",
    "README_FILE",
    "ROSTERS_FILE",
    "SCHOOLS_FILE",
    "SURVEYMONKEY_METADATA",
    "TRUTH_FILE",
    "export_name",
    "write_exports",
]
