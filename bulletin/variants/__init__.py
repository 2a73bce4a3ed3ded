"""Write every script variant of a built site.

MkDocs builds the site once, in the default variant, at the root of `site_dir`. Each
other variant is a copy of the pages under its own prefix ("zh-hk/plans/x/index.html")
with the text converted; photos, CSS, JavaScript and fonts exist once, at the root, and
every variant links to them. So in a variant copy:

- a relative URL to a page ("../x/", "x.html") stays as written: it lands on the same
  variant's page;
- a relative URL to anything else ("../../assets/…css", "IMG_1.jpg") is re-based to
  the shared file at the root;
- absolute links into the site (404 page, canonical URL, og:url) get the prefix when
  they point at a page;
- links carrying data-variant="zh-HK" (the switch) go to this page in that variant;
- <html lang> is the variant's BCP 47 tag, and <link rel=alternate hreflang> lists
  every variant of the page.

Each variant also gets its own sitemap.xml and 404.html. The root sitemap lists every variant's pages.

`VariantWriter.page` works on one rendered page (from the plugin's on_post_page or
on_post_template), `VariantWriter.finish` on the site-wide files (on_post_build);
`write_variants` does both from the files on disk.

Modules: model (Variant, page or shared file), links (every URL of a page, per
variant), sitemap, writer (VariantWriter).
"""

from .model import DEFAULT_LABEL, DEFAULT_LANG, PER_VARIANT, Variant, as_variants, page_url, preferred_traditional
from .writer import AlreadyConverted, VariantWriter, WriteStats, find_pages, write_variants

__all__ = ["DEFAULT_LABEL", "DEFAULT_LANG", "PER_VARIANT", "AlreadyConverted", "Variant",
           "VariantWriter", "WriteStats", "as_variants", "find_pages", "page_url", "preferred_traditional", "write_variants"]
