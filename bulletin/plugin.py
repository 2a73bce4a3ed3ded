"""The MkDocs plugin: hooks only. Each hook hands plain data to a concern module.

Hook order (MkDocs 1.6): on_config → on_files (load + validate content, add generated
pages and photo derivatives, drop what must not be published) → per page:
on_page_read_source (serve the text we already read) → on_page_markdown →
on_page_content (sanitise) → on_page_context → on_post_build (screen, site checks,
the problem summary). A page whose output cannot have changed since the last build skips
Markdown and its template (pagecache: the last on_page_markdown, on_page_content and
on_page_context decide).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from jinja2 import ChoiceLoader, DictLoader
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from . import (a11y, albums, checks, content, linkcheck, media, model, notices, pagecache, people, plans, posters,
               publish, published, preview, safeinput, sanitize, screen, script, search, sharing, sitecheck, tags, variants)
from .config import BulletinConfig
from .report import Report
from .theme_dir import FAVICON_ICO, STYLESHEET, STYLESHEETS, THEME_DIR, add_theme, escaped_templates

log = get_plugin_logger(__name__)


class BulletinPlugin(BasePlugin[BulletinConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        self.watcher: safeinput.SafeWatcher | None = None
        self.last_build = None  # in `mkdocs serve`: (config, files, nav, env) of the last full build
        self._reset()

    def _reset(self) -> None:
        self.index: content.ContentIndex | None = None
        self.prepared: checks.Prepared | None = None
        self.site: model.Site | None = None  # what the screen, search and posters read
        self.listings: dict[str, plans.ListingPage] = {}
        self.plans_by_slug: dict[str, plans.Plan] = {}
        self.albums_by_rel: dict[str, albums.Album] = {}
        self.media_originals: list[Path] = []
        self.page_images: dict[str, media.Job] = {}
        self.page_dests: dict[str, str] = {}  # source rel -> dest_uri of its built page
        self.scripts: dict[str, str] = {}  # page rel -> the script its editor wrote it in
        self.writer: variants.VariantWriter | None = None
        self.page_cache: pagecache.PageCache | None = None  # None: every page is rendered
        self.env = self.files = self.nav = None
        self.report = Report()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.is_serve = command == "serve"

    def on_config(self, config):
        """Resolve paths and reset per-build state (`mkdocs serve` rebuilds in one process).

        MkDocs walks docs_dir following links before any plugin sees a file, so when
        site_src/ holds a link or a special file MkDocs is pointed at a shadow tree of the
        safe files; content is still read from the real site_src/.
        """
        self._reset()
        self.config.apply_command()  # `bulletin posters` (in the environment): posters on, and the paper
        self.docs_dir = Path(config.docs_dir)
        self.project_dir = Path(config.config_file_path or ".").resolve().parent
        self.cache_dir = self.project_dir / self.config.cache_dir
        config.docs_dir = str(safeinput.docs_dir_for_mkdocs(self.docs_dir, self.cache_dir))
        self.walk_dir = Path(config.docs_dir)
        try:
            self.variants = variants.as_variants([dict(v) for v in self.config.variants], self.config.default_variant)
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml 中 bulletin 的 variants 配置有误：{exc}") from exc
        self.prefer = variants.preferred_traditional(self.variants)
        config.extra["bulletin_variants"] = [v.to_extra() for v in self.variants]
        config.extra["bulletin_og_locale"] = sharing.og_locale(self.variants[0].lang)
        tags.sort_by_count(config.plugins.get("material/tags"))
        config.extra.setdefault("generator", False)  # no link out to the theme's home page
        if "bulletin.markdown_cjk" not in config.markdown_extensions:  # 「落葉、 白色垃圾」 is not Chinese
            config.markdown_extensions.append("bulletin.markdown_cjk")
        self.theme_dirs = add_theme(config)  # the album partials are found as MkDocs finds templates
        return config

    def on_env(self, env, *, config, files):
        """Our templates escape everything they print; `| mark(script)` marks another script.

        MkDocs' environment does not autoescape, and Material's templates rely on that, so
        autoescaping is switched on by template name: every template the plugin ships (and
        a site's override of one) escapes what it prints, whoever adds a field to it later.
        Material's own templates print only titles and descriptions, which `safe_meta`
        makes plain text.
        """
        env.filters["mark"] = script.mark
        # a short field typed on its own (a tag): in the script its characters show, else Simplified
        env.filters["mark_own"] = lambda text: script.mark(text, script.passage_script(text, self.prefer) or "zh-Hans")
        env.autoescape = escaped_templates(THEME_DIR)
        env.loader = ChoiceLoader([DictLoader({pagecache.STUB: pagecache.STUB_SOURCE}), env.loader])
        self.env, self.files = env, files
        return env

    def on_serve(self, server, *, config, builder):
        """Live reload without following links in site_src/; a change to a page's text
        renders that page alone (preview.Quick)."""
        self.watcher = safeinput.SafeWatcher(self.docs_dir, self.cache_dir)
        self.watcher.attach(server, config.docs_dir)
        server.builder = preview.Quick(self, self.watcher).wrap(server.builder)
        return server

    def on_shutdown(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    def on_build_error(self, *, error: Exception) -> None:
        safeinput.remove_shadow(self.cache_dir)
        if self.page_cache is not None:
            self.page_cache.stop()

    @event_priority(100)
    def on_files(self, files: Files, *, config) -> Files:
        """Load and check site_src/ once; publish only what was accepted, plus derivatives."""
        self.index = index = content.load(self.docs_dir)
        self.report = index.report
        self.prepared = prepared = checks.prepare(index)
        self.plans_by_slug = {plan.slug: plan for plan in prepared.plans}
        self.site = model.build(prepared, self.variants, self.prefer)

        self._prepare_scripts(config)
        # An allow-list: Markdown pages become pages, images become derivatives (below),
        # the glossary is read; any other file is refused, so nothing is copied as it is.
        handled = albums.originals(index) | people.unpublished(index, prepared.roll) | {self.config.glossary}
        handled |= {self.config.search.synonyms}
        self.synonyms = search.load_synonyms(index.root / self.config.search.synonyms,
                                             content.display_path(index.root, self.config.search.synonyms),
                                             self.report) if self.config.search.enabled else {}
        published.refuse_others(index, handled, self.report)
        self.page_images = published.page_image_jobs(index, handled)
        accepted = set(index.sources) - handled
        for file in list(files):
            if file.generated_by or file.src_dir is None:
                continue
            if os.path.normpath(file.src_dir) != os.path.normpath(str(self.walk_dir)):
                if file.src_uri.startswith(("screen/", "posters/")):
                    files.remove(file)  # the screen's and posters' sources: never published as they are
                continue  # theme files
            if file.src_uri not in accepted:
                files.remove(file)

        self._build_media(files, config)

        generated: dict[str, str] = {}
        if self.config.plans.enabled:
            self.listings = {p.src_uri: p for p in plans.listing_pages(prepared.plans, self.config.plans.per_page)}
            generated |= {uri: plans.listing_markdown(p) for uri, p in self.listings.items()}
        generated |= people.generated_pages(index)
        generated["albums/index.md"] = albums.index_markdown(prepared.albums, theme_dir=self.theme_dirs)
        for uri, markdown in generated.items():
            if uri not in index.sources:
                files.append(File.generated(config, uri, content=markdown))
        if files.get_file_from_path("favicon.ico") is None:  # browsers ask for it unprompted
            files.append(File.generated(config, "favicon.ico", abs_src_path=str(THEME_DIR / FAVICON_ICO)))
        if files.get_file_from_path("robots.txt") is None:
            files.append(File.generated(config, "robots.txt", content=sharing.robots_txt(config.site_url)))
        files.append(File.generated(config, STYLESHEET, content="\n".join(
            f"/* {css} */\n{files.get_file_from_path(css).content_string}" for css in STYLESHEETS)))
        return files

    def _prepare_scripts(self, config) -> None:
        """Detect each page's script once; build the glossary with every published name."""
        index, prepared = self.index, self.prepared
        self.scripts = {rel: script.detect_script(src.body, self.prefer) or "zh-Hans"
                        for rel, src in index.sources.items()}
        for plan in prepared.plans:
            plan.script = self.scripts.get(plan.source.rel, "zh-Hans")
        for person in prepared.roll.people:
            person.script = people.profile_script(person, self.prefer)
        self.lexicon = checks.lexicon(index, prepared.roll, self.config.glossary, self.prefer)
        self.writer = variants.VariantWriter(config.site_dir, self.variants, self.config.default_variant,
                                             self.converter, config.site_url, cache_dir=self.cache_dir)
        checks.risky_conversions(index, {v.label: self.converter(v) for v in self.variants}, self.prefer)
        if pagecache.PageCache.usable(config):
            self.page_cache = pagecache.PageCache(self.cache_dir, config, extra=(
                repr(self.is_serve), self.prefer, pagecache.fingerprint(self.lexicon.entries)))

    def converter(self, variant: variants.Variant) -> script.Converter:
        """The one way text becomes a variant's script: glossary, names and all."""
        return script.Converter(variant.code, glossary=self.lexicon, phrases=variant.phrases, prefer=self.prefer,
                                corner_quotes=variant.corner_quotes)

    def _build_media(self, files: Files, config) -> None:
        """One pass of the photo pipeline for album photos and portraits."""
        prepared = self.prepared
        portrait_jobs = people.portrait_jobs(prepared.roll, self.docs_dir)
        jobs = albums.jobs(prepared.albums) + list(portrait_jobs.values()) + list(self.page_images.values())
        made = media.build(jobs, self.cache_dir / "media", self.report,
                           progress=sys.stderr if len(jobs) > 20 else None)
        albums.attach(prepared.albums, made, self.report)
        people.attach_photos(prepared.roll, portrait_jobs, made.results)
        self.media_originals = [job.src for job in jobs]
        # A page's image keeps its source path, so MkDocs resolves `![](chart.png)` as usual,
        # but the file behind it is the cleaned rendition, published in media/.
        in_place = published.page_image_files(self.page_images, made.results)
        for rel, (url, path) in in_place.items():
            files.append(File(rel, src_dir=None, dest_dir=config.site_dir,
                              use_directory_urls=config.use_directory_urls, dest_uri=url))
            files.get_file_from_path(rel).abs_src_path = str(path)
        taken = {url for url, _ in in_place.values()}
        for url, path in made.published.items():
            if url not in taken:
                files.append(File.generated(config, url, abs_src_path=str(path)))
        self.albums_by_rel = {album.rel: album for album in prepared.albums}

    def on_page_read_source(self, *, page, config) -> str | None:
        """Serve the text we already decoded, so MkDocs never re-reads (or misreads) a file."""
        source = self.index.sources.get(page.file.src_uri) if self.index else None
        return source.text if source else None

    def _on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        """Replace MkDocs' front matter with our validated one; albums get their gallery."""
        rel = page.file.src_uri
        source = self.index.sources.get(rel)
        if source is not None:
            meta = dict(source.meta)
            if source.kind == "person":
                meta.setdefault("title", meta.get("name"))
            if source.kind == "plan":
                meta.setdefault("template", "plan.html")
            page.meta = meta
        for key, value in people.page_meta(rel).items():
            page.meta.setdefault(key, value)
        page.meta = sanitize.safe_meta(page.meta)
        album = self.albums_by_rel.get(rel)
        if album is not None:
            markdown = albums.page_markdown(album, theme_dir=self.theme_dirs)
        if rel == notices.NOTICES_FILE:  # ended notices go, periods read as the screen shows them
            markdown = notices.page_markdown(markdown, dt.date.today())
        written_in = self.scripts.get(rel) or script.detect_script(markdown, self.prefer) or "zh-Hans"
        self.scripts[rel] = written_in
        if page.meta.get("title"):
            page.meta["title"] = script.mark(script.protect_markdown(str(page.meta["title"])), written_in)
        return script.protect_markdown(markdown)

    @event_priority(-100)
    def _on_page_markdown_last(self, markdown: str, *, page, config, files) -> str:
        """With every plugin's Markdown final: a page rendered before is not rendered again."""
        if self.page_cache is not None:
            rel = page.file.src_uri
            source = self.index.sources.get(rel)
            self.page_cache.before_render(page, markdown, files, self.scripts.get(rel, ""),
                                          source.text if source is not None else "")
        return markdown

    on_page_markdown = CombinedEvent(_on_page_markdown, _on_page_markdown_last)

    @event_priority(-100)
    def on_page_content(self, html: str, *, page, config, files) -> str:
        """Sanitise last, after glightbox, which copies alt text into an attribute shown as HTML."""
        cache = self.page_cache
        if cache is not None:
            kept = cache.reused_content(page)
            if kept is not None:
                cache.use_stub(page)
                return kept
        if page.title:
            page.title = sanitize.plain_text(page.title)
        written_in = self.scripts.get(page.file.src_uri, "zh-Hans")
        script.mark_toc(page.toc, written_in, self.prefer)
        html = sanitize.clean_html(html)
        if not a11y.has_lightbox(html):
            page.meta["glightbox"] = False  # glightbox then adds no script or style to the page
        if not page.meta.get("description"):
            described = sharing.description(page.meta.get("summary"), html)
            if described:
                page.meta["description"] = script.mark(described, written_in)
        html = script.mark_passages(html, written_in, self.prefer)
        if cache is not None:
            cache.keep_content(page, html)
            cache.use_stub(page)
        return html

    @event_priority(-100)
    def on_page_context(self, context, *, page, config, nav):
        """Hand templates the plain data they render; then render the page (or take it from
        the cache) with every plugin's context complete.

        Heading levels are closed up here, not in on_page_content: Material's tags plugin
        fills its listings in between, replacing h6 placeholders it finds by level.
        """
        page.content = a11y.close_heading_gaps(page.content)
        rel = page.file.src_uri
        prepared = self.prepared
        self.nav = nav
        source = self.index.sources.get(rel)
        if source is not None and source.kind == "plan":
            context["plan"] = plan = self.plans_by_slug.get(source.slug)
            if self.is_serve and plan is not None:  # the local preview only: never published
                context["editor_notes"] = plans.editor_notes(plan)
        listing = self.listings.get(rel)
        if listing is not None:
            context["listing"] = listing
        context.update(people.context_for(rel, prepared.roll, is_homepage=page.is_homepage))
        context["share_image"] = sharing.share_image(self.albums_by_rel.get(rel), context.get("person"))
        if page.is_homepage:
            context["latest_plans"] = plans.groups(prepared.plans)[: self.config.plans.latest]
            latest = [a for a in prepared.albums if a.cover][:3]
            context["latest_albums_html"] = Markup(script.mark_passages(
                albums.index_html(latest, root=".", theme_dir=self.theme_dirs), None, self.prefer)) if latest else ""
        if self.page_cache is not None:
            self.page_cache.context(context, page=page, nav=nav, env=self.env, load=self.writer.kept,
                                    parts=(self.writer.memo_key(), repr(self.config.search.enabled)))
        return context

    @event_priority(-100)
    def on_post_page(self, output: str, *, page, config) -> str:
        """Write the page's other variants; return it in the default script (after every other plugin).

        Search fields go in first, so that each variant's index is in its own script.
        """
        source = self.index.sources.get(page.file.src_uri)
        self.page_dests[page.file.src_uri] = page.file.dest_uri
        kept = self.page_cache.reused_texts(page) if self.page_cache is not None else None
        if kept is not None:
            return self.writer.reuse(page.file.dest_uri, kept)
        output = a11y.lightbox_script_last(output)
        if source is not None and tags.DIRECTIVE in source.text:
            output = tags.group_listing(output)
        if self.config.search.enabled and source is not None:
            output = search.mark_page(output, search.entry_for(source, self.scripts.get(source.rel), site=self.site))
        output = self.writer.page(page.file.dest_uri, output)
        if self.page_cache is not None:
            self.page_cache.keep_output(page, self.writer.last_key)
        return output

    def on_post_template(self, output: str, *, template_name: str, config) -> str:
        if template_name == "404.html" and self.writer is not None:
            return self.writer.page("404.html", output)
        return output

    @event_priority(-100)
    def on_post_build(self, *, config) -> None:
        """Screen, last-line checks of the built site, then every problem and the summary.

        Last of every plugin's: the checks must see the files other plugins copy here
        (glightbox's script and style).

        Errors fail the build (so `bulletin build` keeps the previous site); a preview
        (`mkdocs serve`) shows the site without the bad items instead.
        """
        site_dir = Path(config.site_dir)
        safeinput.remove_shadow(self.cache_dir)
        if self.config.screen.enabled:
            self.write_screen(site_dir, config)
        if self.config.posters.enabled:
            log.info(self.make_posters(site_dir, config).summary())
        self.writer.finish()
        if self.page_cache is not None:
            log.info(self.page_cache.finish())
        if self.config.search.enabled:
            fields = search.site_fields(self.site, self.page_dests, self.scripts, self.converter)
            try:
                stats = search.index_site(site_dir, self.variants, cache_dir=self.cache_dir, synonyms=self.synonyms,
                                          fields=fields)
            except search.SearchError as exc:
                raise PluginError(str(exc)) from exc
            log.info(stats.summary())
        self.report.extend(media.scan_published_images(site_dir, self.media_originals))
        self.report.extend(sitecheck.scan_site(
            site_dir, sitecheck.own_hosts(config.site_url), sitecheck.content_links(self.index.sources.values()),
            display_root=publish.published_name(site_dir), cache_dir=self.cache_dir))
        sources = linkcheck.page_sources(self.index.sources, self.page_dests, self.variants)
        self.report.extend(linkcheck.check_site(site_dir, config.site_url, sources=sources,
                                                display_root=publish.published_name(site_dir)))
        if self.is_serve:
            self.last_build = (config, self.files, self.nav, self.env)
        self.report.log(log)
        if self.report.errors and not self.is_serve:
            raise PluginError(f"构建失败：{self.report.summary(failed=True)}有错误时整个网站都不发布，"
                              "请按上面的提示修改后重新构建。")

    def write_screen(self, site_dir: Path, config) -> None:
        """The lobby screen's slideshow, in every script, into site/screen/."""
        site = self.site
        settings = screen.settings(self.config.screen, site_url=config.site_url or "", site_name=config.site_name)
        settings.qr_cache = str(self.cache_dir / "qr")
        slides = screen.slides(site, settings)
        screen.write(site_dir, slides, settings, [(v, self.converter(v)) for v in site.variants], self.report)

    def make_posters(self, site_dir: Path, config) -> posters.Made:
        """Print-ready PDFs of the same model, in every script, into site/posters/ (after on_files)."""
        options = posters.options_from(self.config.posters, config, qr_cache=str(self.cache_dir / "qr"),
                                       prefer=self.prefer, markdown=posters.markdown_renderer(
                                           config.markdown_extensions, config.mdx_configs))
        return posters.build(site_dir, posters.collect(self.site, self.config.posters.photos),
                             [(v, self.converter(v)) for v in self.variants], options, self.cache_dir, self.report)
