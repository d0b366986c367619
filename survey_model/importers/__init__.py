"""Survey exports in, the responses frame out: read, detect, clean, map, recode, validate.

The pipeline (one module per step):

1. :mod:`~survey_model.importers.reading` — bytes and a file name to every cell as text; the platform and layout
   are detected from the content (:mod:`~survey_model.importers.detection`) and each platform module
   (:mod:`~survey_model.importers.qualtrics`, :mod:`~survey_model.importers.surveymonkey`,
   :mod:`~survey_model.importers.google_forms`, :mod:`~survey_model.importers.ms_forms`,
   :mod:`~survey_model.importers.generic`) describes its columns;
2. :mod:`~survey_model.importers.cleaning` — metadata and personal data dropped; tests, previews, spam and blank
   responses left out; partial responses by the rule in :mod:`~survey_model.importers.pipeline`;
3. :mod:`~survey_model.importers.mapping` — columns matched to items and attributes by id, text or fuzzy text,
   overridable and saved as a reusable profile;
4. :mod:`~survey_model.importers.recoding` — answer labels to scale values, unknown labels reported;
5. :mod:`~survey_model.importers.pipeline` — all of it, with one :class:`~survey_model.validation.ValidationReport`.

Errors: a file that cannot be read as a table at all raises :class:`ExportReadError` (``message`` and
``action`` for the user); every other problem is an issue in the report, and errors there block saving.

>>> from survey_model.codebook import load_codebook
>>> export = b"Staff ID,Do you consider yourself a leader in your school?\\nA1,Yes\\nA2,Not sure\\n"
>>> result = import_export(export, "export.csv", load_codebook())
>>> result.platform, result.frame["LI1"].tolist(), result.frame["respondent_id"].tolist()
('generic', [1.0, 3.0], ['A1', 'A2'])
"""

from survey_model.importers.cleaning import EXCLUSION_REASONS
from survey_model.importers.export import LAYOUTS, PLATFORMS, Column, RawExport
from survey_model.importers.mapping import RESPONDENT_ID_TARGET, ColumnMapping, MappingEntry, map_columns
from survey_model.importers.pipeline import ImportResult, import_export, import_raw
from survey_model.importers.reading import MAX_EXPORT_BYTES, ExportReadError, read_export

__all__ = [
    "EXCLUSION_REASONS",
    "LAYOUTS",
    "MAX_EXPORT_BYTES",
    "PLATFORMS",
    "RESPONDENT_ID_TARGET",
    "Column",
    "ColumnMapping",
    "ExportReadError",
    "ImportResult",
    "MappingEntry",
    "RawExport",
    "import_export",
    "import_raw",
    "map_columns",
    "read_export",
]
