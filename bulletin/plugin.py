"""The MkDocs plugin: hooks only. Each hook hands plain data to a concern module.

Hook order (MkDocs 1.6): on_config → on_files (load + validate content, add generated
pages, drop what must not be published) → per page: on_page_read_source (serve the text
we already read) → on_page_markdown → on_page_content → on_page_context → on_post_page
→ on_post_build (derived outputs, checks, the problem summary).
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from . import content, plans
from .config import BulletinConfig
from .report import Report, Severity

log = get_plugin_logger(__name__)


class BulletinPlugin(BasePlugin[BulletinConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        self.index: content.ContentIndex | None = None
        self.plans: list[plans.Plan] = []
        self.listings: dict[str, plans.ListingPage] = {}
        self.report = Report()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.is_serve = command == "serve"

    def on_config(self, config):
        """Resolve paths and reset per-build state (`mkdocs serve` rebuilds in one process)."""
        self.docs_dir = Path(config.docs_dir)
        self.project_dir = Path(config.config_file_path or ".").resolve().parent
        self.cache_dir = self.project_dir / self.config.cache_dir
        self.index = None
        self.plans = []
        self.listings = {}
        self.report = Report()
        return config

    @event_priority(100)
    def on_files(self, files: Files, *, config) -> Files:
        """Load and validate site_src/ once; publish only what was accepted."""
        self.index = index = content.load(self.docs_dir)
        self.report = index.report
        accepted = set(index.sources) | {f for f in index.files if not f.endswith(".md")}
        for file in list(files):
            if file.src_dir is None or file.generated_by:
                continue
            rel = file.src_uri
            if os.path.normpath(file.src_dir) != os.path.normpath(str(self.docs_dir)):
                continue  # theme files
            if rel not in accepted:
                files.remove(file)
        if self.config.plans.enabled:
            self.plans = plans.collect(index)
            self.listings = {p.src_uri: p for p in plans.listing_pages(self.plans, self.config.plans.per_page)}
            for uri, listing in self.listings.items():
                if uri not in index.sources:
                    files.append(File.generated(config, uri, content=plans.listing_markdown(listing)))
        return files

    def on_page_read_source(self, *, page, config) -> str | None:
        """Serve the text we already decoded, so MkDocs never re-reads (or misreads) a file."""
        source = self.index.sources.get(page.file.src_uri) if self.index else None
        return source.text if source else None

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        """Replace MkDocs' front matter with our validated, normalised one."""
        source = self.index.sources.get(page.file.src_uri)
        if source is not None:
            meta = dict(source.meta)
            if source.kind == "person":
                meta.setdefault("title", meta.get("name"))
            if source.kind in ("plan", "person"):
                meta.setdefault("template", f"{source.kind}.html")
            page.meta = meta
        return markdown

    def on_page_context(self, context, *, page, config, nav):
        """Hand templates the plain data they render."""
        source = self.index.sources.get(page.file.src_uri)
        context["bulletin"] = {"plans": self.plans}
        if source is not None and source.kind == "plan":
            context["plan"] = next((p for p in self.plans if p.slug == source.slug), None)
        listing = self.listings.get(page.file.src_uri)
        if listing is not None:
            context["listing"] = listing
        if page.is_homepage:
            context["latest_plans"] = plans.groups(self.plans)[: self.config.plans.latest]
        return context

    def on_post_build(self, *, config) -> None:
        """Print every problem and the summary; errors fail the build (not a preview)."""
        for problem in sorted(self.report.problems, key=lambda p: (p.path, p.line or 0, p.code)):
            (log.error if problem.severity is Severity.ERROR else log.warning)(str(problem))
        if self.report.problems:
            log.info(self.report.summary())
        if self.report.errors and not self.is_serve:
            raise PluginError(f"构建失败：{self.report.summary()}请按上面的提示修改后重新构建。")
