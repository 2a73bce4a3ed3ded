"""The wheel carries the project's theme/ as the package data bulletin/theme.

The rest of the metadata is in pyproject.toml. theme/ stays at the top level because it is
also the sample site's custom_dir; bulletin/theme_dir.py finds it in either place.
"""

from pathlib import Path

from setuptools import find_packages, setup

# Each folder of theme/ is listed, as setuptools wants of every directory it ships.
THEME = ["bulletin.theme"] + sorted("bulletin.theme." + ".".join(d.relative_to("theme").parts)
                                    for d in Path("theme").rglob("*") if d.is_dir() and d.name != "__pycache__")

setup(
    packages=find_packages(include=["bulletin", "bulletin.*"]) + THEME,
    package_dir={"bulletin.theme": "theme"},
    package_data={package: ["*"] for package in THEME},
)
