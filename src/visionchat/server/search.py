"""A small BM25 ranker over short texts (image descriptions and tags, document pages).

Tokens are lower-cased words with a light suffix stripper and a few survey synonyms,
so "rusted", "rust" and "corrosion" meet. Good enough to make the demo feel real.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[a-z0-9]+")

STOPWORDS = frozenset(
    """a about all also an and any are as at be been but by can could do does for from
    give has have how i if in into is it its me my no not of on or our please show
    so some tell than that the their them then there these they this those to up us
    was we were what when where which who why will with would you your find images
    image photos photo pictures picture any""".split()
)

# Words that mean the same thing in a survey; each maps to one canonical token.
_SYNONYMS = {
    "corrosion": "rust",
    "corroded": "rust",
    "rusty": "rust",
    "rusted": "rust",
    "fracture": "crack",
    "cracked": "crack",
    "cracking": "crack",
    "tree": "vegetation",
    "trees": "vegetation",
    "overgrowth": "vegetation",
    "branches": "vegetation",
    "ivy": "vegetation",
    "rotten": "rot",
    "decayed": "decay",
    "leak": "leak",
    "leaking": "leak",
    "weeping": "leak",
    "blocked": "blockage",
    "clogged": "blockage",
    "damaged": "damage",
    "defects": "defect",
    "defective": "defect",
}


def _stem(word: str) -> str:
    if word in _SYNONYMS:
        return _SYNONYMS[word]
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            stemmed = word[: -len(suffix)]
            return _SYNONYMS.get(stemmed, stemmed)
    return word


def tokenize(text: str) -> list[str]:
    """Words of ``text`` as ranking tokens (stop-words dropped)."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


class BM25Index:
    """Okapi BM25 over a fixed list of ``(key, text)`` documents."""

    def __init__(
        self, documents: Iterable[tuple[str, str]], *, k1: float = 1.4, b: float = 0.75
    ) -> None:
        self.k1 = k1
        self.b = b
        self._keys: list[str] = []
        self._counts: list[Counter[str]] = []
        self._lengths: list[int] = []
        for key, text in documents:
            tokens = tokenize(text)
            self._keys.append(key)
            self._counts.append(Counter(tokens))
            self._lengths.append(len(tokens))
        self._avg_length = (sum(self._lengths) / len(self._lengths)) if self._lengths else 0.0
        frequency: Counter[str] = Counter()
        for counts in self._counts:
            frequency.update(counts.keys())
        total = len(self._keys)
        self._idf = {
            term: math.log(1.0 + (total - df + 0.5) / (df + 0.5)) for term, df in frequency.items()
        }

    def __len__(self) -> int:
        return len(self._keys)

    def score_all(self, query: str, *, weights: dict[str, float] | None = None) -> dict[str, float]:
        """BM25 score of every document for ``query`` (documents with no match omitted).

        ``weights`` optionally scales individual query tokens (e.g. domain hints < 1).
        """
        terms = Counter(tokenize(query))
        scores: dict[str, float] = {}
        if not terms or not self._keys:
            return scores
        for key, counts, length in zip(self._keys, self._counts, self._lengths, strict=True):
            score = 0.0
            norm = self.k1 * (
                1 - self.b + self.b * (length / self._avg_length if self._avg_length else 0)
            )
            for term, qtf in terms.items():
                tf = counts.get(term)
                if not tf:
                    continue
                weight = (weights or {}).get(term, 1.0)
                score += weight * qtf * self._idf[term] * tf * (self.k1 + 1) / (tf + norm)
            if score > 0:
                scores[key] = score
        return scores

    def search(
        self, query: str, *, limit: int | None = None, only: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """Matching ``(key, score)`` pairs best first; ties keep library order."""
        scores = self.score_all(query)
        order = {key: n for n, key in enumerate(self._keys)}
        allowed = set(only) if only is not None else None
        ranked = sorted(
            ((k, s) for k, s in scores.items() if allowed is None or k in allowed),
            key=lambda pair: (-pair[1], order[pair[0]]),
        )
        return ranked if limit is None else ranked[:limit]
