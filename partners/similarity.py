"""Trigram similarity, computed as PostgreSQL's `pg_trgm` computes it.

Every pair of look-alikes (find_duplicates) is found here, in Python, on both databases, by
prefix filtering, and scored with `similarity()`: so a pair gets the same score, and the same
verdict, on either database. (rapidfuzz would not help: its scores are edit distances, not
pg_trgm's trigram similarity, and the cost here is finding candidates, not scoring them.)
PostgreSQL's trigram index serves one name against all (the warning before creating a
look-alike) and the search ranking.
"""

import math
import re
from collections import Counter, defaultdict

_WORD = re.compile(r"[^\W_]+")

# Pairs sharing fewer trigrams than this are not even looked at (pg_trgm's default `%`
# threshold); the verdict itself uses stricter thresholds on the names' cores.
PREFILTER = 0.3
# In how many names a trigram may be before it stops bringing candidates (similar_pairs).
# On 100,000 generated names (bench/find_duplicates.py), look-alike search CPU time and
# planted look-alikes found: 1,000: 32 s, 1,067 of 1,094; 3,000: 93 s, 1,082; no cap:
# 152 s, 1,083 (and 217,499 pairs, mostly names sharing nothing but "Institute").
COMMON = 3_000


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(left: str, right: str) -> float:
    """pg_trgm's `similarity()`: shared trigrams over all trigrams of the two texts."""
    a, b = trigrams(left), trigrams(right)
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def similar_pairs(texts: dict[int, str], threshold: float, common: int | None = None):
    """(id, id) pairs, lower id first, whose texts' trigram similarity is at least
    `threshold`, without comparing every pair.

    Prefix filtering with two shared tokens ("ℓ-prefix" filtering): with each text's
    trigrams ordered rarest first, two texts sharing at least α trigrams share at least
    two among the first |x| - α + 2 of each. A text only meets earlier (no longer) texts,
    so α is at least t·|x| on the probing side and 2t/(1+t)·|y| on the indexed side.
    Candidates sharing two prefix trigrams are found with set operations (in C), then
    checked exactly; a pair is proposed only if its similarity really is ≥ `threshold`.

    Trigrams found in more than `common` texts ("  b", "ins", "ute"…) are neither indexed
    nor probed: their lists grow with the number of organisations and make the search
    quadratic. A pair is then missed only if its resemblance lies in such trigrams alone,
    such as two made-up names sharing nothing but "Institute" (bench/find_duplicates.py
    counts those missed against an exhaustive search). Below `common` texts, nothing is.
    """
    common = COMMON if common is None else common  # read here: the bench changes it
    grams = {pk: own for pk, text in texts.items() if (own := trigrams(text))}
    frequency = Counter(gram for own in grams.values() for gram in own)
    rank = {gram: (count, gram) for gram, count in frequency.items()}
    postings = defaultdict(list)
    fewer = defaultdict(set)  # texts indexed with only one prefix trigram (one or two trigrams)
    pairs = set()
    for pk in sorted(grams, key=lambda pk: (len(grams[pk]), pk)):
        own = grams[pk]
        size = len(own)
        ordered = sorted(own, key=rank.__getitem__)
        probed = _prefix(ordered, threshold)
        needed = min(2, math.ceil(threshold * size))
        once, twice = set(), set()
        for gram in probed:
            if frequency[gram] <= common and gram in postings:
                texts_with = postings[gram]
                twice |= once.intersection(texts_with)
                once.update(texts_with)
        candidates = (twice | (once & fewer[1])) if needed == 2 else once
        shortest = threshold * size
        for other in candidates:
            theirs = grams[other]
            if len(theirs) >= shortest:
                shared = len(own & theirs)
                if shared >= threshold * (size + len(theirs) - shared):
                    pairs.add((other, pk) if other < pk else (pk, other))
        indexed = _prefix(ordered, 2 * threshold / (1 + threshold))
        if min(2, math.ceil(2 * threshold / (1 + threshold) * size)) < 2:
            fewer[1].add(pk)
        for gram in indexed:
            if frequency[gram] <= common:
                postings[gram].append(pk)
    return pairs


def _prefix(ordered, overlap):
    """The first |x| - α + 2 trigrams, α = ⌈overlap·|x|⌉ the fewest a similar text shares."""
    alpha = math.ceil(overlap * len(ordered) - 1e-9)
    return ordered[: len(ordered) - alpha + min(2, alpha)]


def similar_to_in_postgresql(key: str, threshold: float = PREFILTER):
    """Ids of organisations whose folded name is `threshold`-similar to `key`, found by
    PostgreSQL through the trigram index on its stored `name_folded` (one name against all: what
    that index is good at)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)]
        )
        cursor.execute("SELECT id FROM partners_organisation WHERE name_folded %% %s", [key])
        return [row[0] for row in cursor.fetchall()]
