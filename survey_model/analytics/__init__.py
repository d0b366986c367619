"""What matters: the instrument check, what goes with leader identity, and school profiles (scikit-learn).

One module per analysis, each a pure function of the released respondents of one wave:

* :mod:`~survey_model.analytics.release` — :func:`released_rows`, the one privacy gate every analysis reads
  through (selection as the pages release it; only schools with at least the minimum n);
* :mod:`~survey_model.analytics.instrument` — item–rest correlations, alpha and a varimax factor check;
* :mod:`~survey_model.analytics.drivers` — regularised logistic regression of leader identity on the conditions,
  with bootstrap intervals, cross-validated AUC and permutation importance;
* :mod:`~survey_model.analytics.profiles` — school profiles (KMeans, silhouette, bootstrap adjusted Rand index);
* :mod:`~survey_model.analytics.focus` — the drivers as a Workshop slide and a workbook sheet.

Every result says "goes with", never "causes", and carries its n and intervals.
"""

from survey_model.analytics.drivers import DriverResult, drivers
from survey_model.analytics.focus import FocusSlide, focus_sheet, focus_slide
from survey_model.analytics.instrument import InstrumentCheck, instrument_check
from survey_model.analytics.profiles import Profiles, school_profiles
from survey_model.analytics.release import released_rows

__all__ = [
    "DriverResult",
    "FocusSlide",
    "InstrumentCheck",
    "Profiles",
    "drivers",
    "focus_sheet",
    "focus_slide",
    "instrument_check",
    "released_rows",
    "school_profiles",
]
