"""How the store writes what it keeps: codebooks as JSON, respondent ids as keyed hashes, responses as Parquet."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from survey_model.codebook import Codebook
from survey_model.responses import RESPONDENT_ID, RESPONDENT_KEY

__all__ = [
    "CHUNK_ROWS",
    "PARQUET_COMPRESSION",
    "canonical_json",
    "codebook_sha256",
    "codebook_to_dict",
    "column_order",
    "parquet_bytes",
    "respondent_keys",
    "stored_table",
]

CHUNK_ROWS = 50_000
"""Rows per stored Parquet blob: bounds the memory of one write and paces progress reports."""

PARQUET_COMPRESSION = "zstd"


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """The codebook as the TOML-shaped dict :func:`survey_model.codebook.codebook_from_dict` reads back.

    Optional fields that are empty or ``None`` are left out, as a TOML file would.

    >>> from survey_model.codebook import codebook_from_dict, load_codebook
    >>> cb = load_codebook()
    >>> codebook_from_dict(codebook_to_dict(cb)) == cb
    True
    """

    def compact(data: Mapping[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in data.items() if value not in (None, "", (), [], {})}

    scales = []
    for scale in codebook.scales:
        options = [compact({"value": o.value, "label": o.label, "aliases": list(o.aliases)}) for o in scale.options]
        scales.append(
            compact(
                {
                    "id": scale.id,
                    "ordinal": scale.ordinal,
                    "favorable_min": scale.favorable_min,
                    "unfavorable_max": scale.unfavorable_max,
                    "missing": list(scale.missing),
                    "options": options,
                }
            )
        )
    data: dict[str, Any] = {
        "id": codebook.id,
        "name": codebook.name,
        "version": codebook.version,
        "description": codebook.description,
        # a list, not a mapping: canonical JSON sorts keys, and the group order is the display order
        "groups": [{"id": key, "name": name} for key, name in codebook.groups.items()],
        "scales": scales,
        "conditions": [
            compact({"id": c.id, "name": c.name, "group": c.group, "description": c.description})
            for c in codebook.conditions
        ],
        "items": [
            compact({"id": i.id, "text": i.text, "scale": i.scale, "condition": i.condition, "reverse": i.reverse})
            for i in codebook.items
        ],
        "attributes": [
            compact(
                {
                    "id": a.id,
                    "label": a.label,
                    "question": a.question,
                    "options": list(a.options),
                    "sensitive": a.sensitive,
                }
            )
            for a in codebook.attributes
        ],
    }
    if codebook.leader is not None:
        leader = codebook.leader
        data["leader_identity"] = compact(
            {
                "item": leader.item,
                "yes": leader.yes,
                "unsure": leader.unsure,
                "formal_role_item": leader.formal_role_item,
                "formal_role_yes": leader.formal_role_yes,
                "scale_items": list(leader.scale_items),
            }
        )
    for key in ("description", "groups"):
        if not data[key]:
            del data[key]
    return data


def codebook_sha256(codebook: Codebook) -> str:
    """SHA-256 (hex) of the codebook's canonical JSON: equal content, equal hash, whatever the version string."""
    return hashlib.sha256(canonical_json(codebook_to_dict(codebook)).encode()).hexdigest()


def respondent_keys(ids: pd.Series | Sequence[str], secret: bytes) -> np.ndarray:
    """Keyed hashes of respondent IDs: ``HMAC-SHA256(secret, id)`` as 64 hex characters, ``""`` for no id.

    Surrounding spaces are ignored, so ``"R_1 "`` and ``"R_1"`` link. Each distinct id is hashed once.

    >>> respondent_keys(["R_1", "", "R_1"], b"k" * 32).tolist()[1]
    ''
    """
    values = pd.Series(ids, dtype="str").fillna("").str.strip()
    codes, uniques = pd.factorize(values, sort=False)
    keyed = hmac.new(secret, digestmod=hashlib.sha256)  # copying a keyed state skips the key set-up per id

    def key_of(text: str) -> str:
        state = keyed.copy()
        state.update(text.encode())
        return state.hexdigest()

    digests = np.array(["" if text == "" else key_of(text) for text in uniques.tolist()], dtype=object)
    if len(digests) == 0:
        return np.array([], dtype=object)
    return digests[codes]


def canonical_json(data: object) -> str:
    """Compact JSON with sorted keys: the same content always gives the same text (and hash)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def stored_table(frame: pd.DataFrame, codebook: Codebook, secret: bytes) -> pa.Table:
    """The columns the store keeps: respondent key, codebook attributes (text), codebook items (float32)."""
    columns: dict[str, pa.Array] = {
        RESPONDENT_KEY: pa.array(respondent_keys(frame[RESPONDENT_ID], secret), type=pa.string()),
    }
    for attribute_id in codebook.attribute_ids:
        if attribute_id in frame.columns:
            text = frame[attribute_id].astype("str")
            columns[attribute_id] = pa.array(text, type=pa.string(), from_pandas=True)
    for item_id in codebook.item_ids:
        if item_id in frame.columns:
            values = frame[item_id].to_numpy(dtype=np.float32, na_value=np.nan)
            columns[item_id] = pa.array(values, type=pa.float32())
    return pa.table(columns)


def parquet_bytes(table: pa.Table) -> bytes:
    """The table as one Parquet file in memory (zstd), ready for a BLOB column."""
    sink = io.BytesIO()
    pq.write_table(table, sink, compression=PARQUET_COMPRESSION)
    return sink.getvalue()


def column_order(present: Sequence[str], latest: Codebook, books: Iterable[Codebook]) -> list[str]:
    """Respondent key, then attributes, then items: in the latest codebook's order, others after."""
    attributes: dict[str, None] = dict.fromkeys(latest.attribute_ids)
    items: dict[str, None] = dict.fromkeys(latest.item_ids)
    for book in books:
        attributes.update(dict.fromkeys(book.attribute_ids))
        items.update(dict.fromkeys(book.item_ids))
    available = set(present)
    return [RESPONDENT_KEY] + [c for c in (*attributes, *items) if c in available and c != RESPONDENT_KEY]
