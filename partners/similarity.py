"""Trigram similarity, computed as PostgreSQL's `pg_trgm` computes it.

Every pair of look-alikes (find_duplicates) is found here, in Python, on both databases, by
prefix filtering, and scored with `similarity()`: so a pair gets the same score, and the same
verdict, on either database. PostgreSQL's trigram index serves one name against all (the
warning before creating a look-alike) and the search ranking.
"""

import math
import re
from collections import Counter, defaultdict

_WORD = re.compile(r"[^\W_]+")

# Pairs sharing fewer trigrams than this are not even looked at (pg_trgm's default `%`
# threshold); the verdict itself uses stricter thresholds on the names' cores.
PREFILTER = 0.3


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


def similar_pairs(texts: dict[int, str], threshold: float):
    """(id, id) pairs, lower id first, whose texts' trigram similarity is at least
    `threshold`: exactly, without comparing every pair.

    Prefix filtering (the "all-pairs" join): order each text's trigrams rarest first; two
    texts at least `threshold` similar must share one of the first |x| - ceil(t·|x|) + 1
    trigrams of each, so only those are indexed and probed. Rare trigrams have short lists,
    so this stays near linear where a join on pg_trgm's `%` reads the long lists of common
    trigrams for every name (measured in bench/find_duplicates.py).
    """
    grams = {pk: trigrams(text) for pk, text in texts.items()}
    frequency = Counter(gram for own in grams.values() for gram in own)
    prefixes = {}
    for pk, own in grams.items():
        ordered = sorted(own, key=lambda gram: (frequency[gram], gram))
        prefixes[pk] = ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
    postings = defaultdict(list)
    pairs = set()
    # Shortest first: a text can only be that similar to texts of comparable length.
    for pk in sorted(grams, key=lambda pk: (len(grams[pk]), pk)):
        own = grams[pk]
        size = len(own)
        shortest = threshold * size
        # The union is taken in C; only each distinct earlier text is then checked once.
        for other in set().union(*(postings[gram] for gram in prefixes[pk] if gram in postings)):
            theirs = grams[other]
            if len(theirs) >= shortest:
                shared = len(own & theirs)
                if shared >= threshold * (size + len(theirs) - shared):
                    pairs.add((min(pk, other), max(pk, other)))
        for gram in prefixes[pk]:
            postings[gram].append(pk)
    return pairs


def similar_to_in_postgresql(key: str, threshold: float = PREFILTER):
    """Ids of organisations whose folded name is `threshold`-similar to `key`, found by
    PostgreSQL through the trigram index on `crm_fold(name)` (one name against all: what
    that index is good at)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)]
        )
        cursor.execute("SELECT id FROM partners_organisation WHERE crm_fold(name) %% %s", [key])
        return [row[0] for row in cursor.fetchall()]
