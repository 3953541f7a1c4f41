"""The bench scripts import each other by module name: put bench/ on the path for their tests."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
