"""The robustness tests reuse the misbehaving HTTP server of the interoperability tests."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "interop"))
