"""Near-duplicate plans.

Compilations reuse one template under several numbers with a changed name or a
placeholder filled in (篇16/篇17 differ by "十九大" ↔ "xx大"). Similarity is difflib's
SequenceMatcher ratio over the Han characters and digits of the two bodies, in order:
punctuation and numbering are left out because normalisation changes them, and the
ratio keeps order, which a bag of shingles would not. `autojunk` is off — on Chinese
text its heuristic discards the commonest characters (的, 社, 區) and the ratio drifts.
`quick_ratio` is an upper bound of `ratio` and cheap, so pairs that cannot reach the
lowest threshold are not compared in full.

A plan that largely contains another (篇24 carries most of 篇3 after its own opening)
scores low on the ratio; `containment` (shared 5-character shingles over the smaller
plan's shingles) finds those, and the report lists them without marking a variant.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from itertools import combinations

VARIANT_THRESHOLD = 0.90  # above: the same plan with small edits → variant_of
RELATED_THRESHOLD = 0.75  # above (or heavy containment): reported as related only
CONTAINMENT_THRESHOLD = 0.85
SHINGLE = 5


@dataclass(frozen=True)
class Pair:
    """Two plans (by slug, earlier first) and how alike they are."""

    earlier: str
    later: str
    similarity: float  # SequenceMatcher ratio, 0..1
    containment: float  # share of the smaller plan's shingles found in the other

    @property
    def is_variant(self) -> bool:
        return self.similarity >= VARIANT_THRESHOLD


def _shingles(text: str) -> set[str]:
    return {text[i:i + SHINGLE] for i in range(max(0, len(text) - SHINGLE + 1))}


def pairs(texts: dict[str, str]) -> list[Pair]:
    """Every pair worth reporting among {slug: comparable text}, in slug order.

    `texts` maps slugs (which sort in compilation order) to the Han characters and
    digits of each plan's body.
    """
    slugs = sorted(texts)
    shingles = {slug: _shingles(texts[slug]) for slug in slugs}
    found: list[Pair] = []
    for a, b in combinations(slugs, 2):
        sa, sb = shingles[a], shingles[b]
        smaller = min(len(sa), len(sb)) or 1
        containment = len(sa & sb) / smaller
        matcher = difflib.SequenceMatcher(None, texts[a], texts[b], autojunk=False)
        if matcher.quick_ratio() < RELATED_THRESHOLD and containment < CONTAINMENT_THRESHOLD:
            continue
        ratio = matcher.ratio()
        if ratio >= RELATED_THRESHOLD or containment >= CONTAINMENT_THRESHOLD:
            found.append(Pair(a, b, ratio, containment))
    return found


def variants(found: list[Pair]) -> dict[str, Pair]:
    """For each later plan, the earlier plan it is most similar to (above VARIANT_THRESHOLD).

    Ties go to the earliest plan, so the first appearance of a text stays the original.
    """
    best: dict[str, Pair] = {}
    for pair in found:
        if not pair.is_variant:
            continue
        current = best.get(pair.later)
        if current is None or pair.similarity > current.similarity:
            best[pair.later] = pair
    return best
