"""Script variants: one build, every page in Simplified and Traditional.

The face of the package; see the modules for the details:

- markers   region markers that carry a text's source script through the build
- engine    OpenCC chains between zh-Hans, zh-Hant, zh-HK and zh-TW; detection
- lexicon   the site glossary and personal names (fixed forms)
- html      the tokenizer that separates what people read from what machines read
- converter `Converter` (text, HTML, batches) and `risky`
"""

from .converter import Converter, Rewriter, Risk, report_risky, risky
from .engine import CHAINS, PHRASE_CHAINS, ScriptError, chain, detect_script, risky_characters
from .html import Document, Tag, parse
from .lexicon import MESSAGES, Entry, Lexicon, load_glossary, name_forms
from .passages import mark_passages, mark_toc, passage_script
from .markers import (END, HANS, HANT, HK, MARK, PROTECT, SCRIPTS, TRADITIONAL, TW, has_marks,
                      mark, protect, protect_markdown, strip_marks)

__all__ = [
    "CHAINS", "PHRASE_CHAINS", "END", "HANS", "HANT", "HK", "MARK", "MESSAGES", "PROTECT",
    "SCRIPTS", "TRADITIONAL", "TW", "Converter", "Document", "Entry", "Lexicon", "Rewriter",
    "Risk", "ScriptError", "report_risky", "Tag", "chain", "detect_script", "has_marks", "load_glossary",
    "mark", "mark_passages", "mark_toc", "name_forms", "passage_script", "parse", "protect", "protect_markdown", "risky", "risky_characters",
    "strip_marks",
]
