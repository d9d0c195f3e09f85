"""`python -m dvdesk`."""

import sys

from dvdesk.cli import main

sys.exit(main())
