"""Where the plugin's templates, partials, CSS and JavaScript live.

The project keeps them in its top-level theme/ (also the sample site's custom_dir). A wheel
carries the same files inside the package as bulletin/theme (setup.py maps theme/ there at
build time), so an installed plugin finds them without the project's checkout; a source
checkout or an editable install reads theme/ itself.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "theme"
THEME_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[1] / "theme"

# The templates, partials, CSS and JavaScript the plugin's pages need. A site's
# own custom_dir still comes first, so it can override any of them.
# Every page loads them as one file, in this order (one request that holds up the first
# paint instead of seven): STYLESHEET, written at each build from the theme's files.
STYLESHEETS = ["assets/bulletin/bulletin.css", "assets/bulletin/album.css", "assets/bulletin/people.css",
               "assets/bulletin/people-grid.css", "assets/bulletin/readable.css", "assets/bulletin/print.css",
               "assets/bulletin/search.css"]
STYLESHEET = "assets/bulletin/site.css"
SCRIPTS = ["assets/bulletin/switch.js", "assets/bulletin/textsize.js", "assets/bulletin/tags.js"]
FAVICON_ICO = "assets/bulletin/favicon.ico"


def add_theme(config) -> tuple[str, ...]:
    """Make the plugin's templates and assets available whatever the site's custom_dir (a
    MkDocs config: its theme folders, extra_css, extra_javascript); the theme folders, in
    the order MkDocs looks in them."""
    dirs = [os.path.realpath(d) for d in config.theme.dirs]
    if os.path.realpath(THEME_DIR) not in dirs:
        at = 1 if config.theme.custom_dir else 0
        config.theme.dirs.insert(at, str(THEME_DIR))
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    for js in SCRIPTS:
        if js not in [str(j) for j in config.extra_javascript]:
            config.extra_javascript.append(js)
    return tuple(config.theme.dirs)


def escaped_templates(theme_dir: Path):
    """Jinja's `autoescape` callable: True for every template name the plugin ships."""
    ours = frozenset(p.relative_to(theme_dir).as_posix() for p in theme_dir.rglob("*.html"))
    return lambda name: name in ours
