#!/usr/bin/env python
"""The bare reference for the catalogue benchmark: one Django view, 24 rows, a plain template."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
