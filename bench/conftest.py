"""The bench scripts import each other by module name: put bench/ on the path for their tests."""

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # after the project: bench/api.py must not hide api/
