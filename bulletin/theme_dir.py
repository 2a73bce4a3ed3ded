"""Where the plugin's templates, partials, CSS and JavaScript live.

The project keeps them in its top-level theme/ (also the sample site's custom_dir). A wheel
carries the same files inside the package as bulletin/theme (setup.py maps theme/ there at
build time), so an installed plugin finds them without the project's checkout; a source
checkout or an editable install reads theme/ itself.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "theme"
THEME_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[1] / "theme"
