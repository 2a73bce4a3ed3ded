"""Editor markup cannot run script in a reader's browser.

Two halves. `check_markdown` reads the Markdown an editor wrote and reports each
dangerous construct (a `<script>`, an event handler, an attr_list `{ onerror=… }`, a
`javascript:` link, a meta refresh) as a warning with file and line, so the editor
learns why part of the page vanished. `clean_html` is the guarantee: an nh3 allow-list
over the HTML that Markdown rendered, keeping exactly what our Markdown extensions and
Material need (tables, admonitions, details, figures, responsive images, header links,
footnotes, highlighted code, tabbed blocks, task lists, glightbox data) and nothing else.

`clean_html` is for a page's *content* (MkDocs `page.content`), not for the whole page:
the theme's own scripts live outside it and are trusted.

Modules: clean (the allow-list, plain text for templates), check (the warnings).
"""

from .check import DANGEROUS_TAGS, MESSAGES, Construct, blank_code, check_markdown, find_constructs, link_targets
from .clean import (CLEAN_CONTENT_TAGS, DATA_ATTRIBUTES, FORBIDDEN_CLASSES, RESERVED_ID, STYLE_PROPERTIES, TAGS,
                    TAG_ATTRIBUTE_VALUES, URL_SCHEMES, clean_html, clean_style, plain_text, safe_meta, safe_style,
                    text_meta, text_value, url_scheme)

__all__ = ["CLEAN_CONTENT_TAGS", "DANGEROUS_TAGS", "DATA_ATTRIBUTES", "FORBIDDEN_CLASSES", "MESSAGES", "RESERVED_ID",
           "STYLE_PROPERTIES", "TAGS", "TAG_ATTRIBUTE_VALUES", "URL_SCHEMES", "Construct", "blank_code",
           "check_markdown", "clean_html", "clean_style", "find_constructs", "link_targets", "plain_text",
           "safe_meta", "safe_style", "text_meta", "text_value", "url_scheme"]
