"""The codebooks staff can choose for a new wave, each named by a short text key.

A key says where the codebook comes from, so that a choice made in a form can be turned back into the codebook:

==========================  ===================================================================================
``org:<organization id>``   the codebook (exact version) of the organization's latest wave
``stored:<id>:<version>``   a partner codebook uploaded to the store (the version is after the *last* colon)
``shipped:<name>``          a codebook that ships with the package (:func:`~survey_model.codebook.available_codebooks`)
==========================  ===================================================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey_model.codebook import Codebook, available_codebooks, load_codebook

if TYPE_CHECKING:
    from survey_model.store.database import Store

__all__ = ["codebook_choices", "codebook_from_key"]


def codebook_choices(store: Store, org_id: str | None) -> dict[str, str]:
    """Codebook key → label: the organization's current codebook first, then partner and shipped codebooks.

    ``org_id`` is ``None`` (or an organization with no waves) for a new organization, which has no current
    codebook.
    """
    choices: dict[str, str] = {}
    if org_id and store.waves(org_id):
        current = store.codebook_for(org_id)
        choices[f"org:{org_id}"] = f"{current.name} (v{current.version}, used by this organization's latest wave)"
    for stored in store.codebooks():
        choices[f"stored:{stored.id}:{stored.version}"] = f"{stored.name} (v{stored.version}, uploaded)"
    for name in available_codebooks():
        choices[f"shipped:{name}"] = f"{load_codebook(name).name} (shipped)"
    return choices


def codebook_from_key(store: Store, key: str) -> Codebook:
    """The codebook a key from :func:`codebook_choices` stands for.

    Raises ``ValueError`` for a key of another kind; the store's
    :class:`~survey_model.store.StoreError` when it no longer holds the codebook.
    """
    kind, _, rest = key.partition(":")
    if kind == "org":
        return store.codebook_for(rest)
    if kind == "stored":
        codebook_id, _, version = rest.rpartition(":")
        return store.codebook(codebook_id, version)
    if kind == "shipped":
        return load_codebook(rest)
    raise ValueError(f"{key!r} is not a codebook key: it starts with org:, stored: or shipped:")
