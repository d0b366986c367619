"""Entry point for ``python -m survey_model``."""

import sys

from survey_model.cli import main

sys.exit(main())
