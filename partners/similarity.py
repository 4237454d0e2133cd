"""Trigram similarity, computed as PostgreSQL's `pg_trgm` computes it.

PostgreSQL finds the look-alike pairs through its trigram index (`%` on `crm_fold(name)`);
SQLite has no such index, so the same pairs are found here through an inverted index of
trigrams. Both then score the pairs with `similarity()` below, so a pair gets the same score,
and the same verdict, on either database.
"""

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


def similar_pairs_in_python(texts: dict[int, str], threshold: float = PREFILTER):
    """(id, id) pairs, lower id first, whose texts are at least `threshold` similar."""
    grams = {pk: trigrams(text) for pk, text in texts.items()}
    postings = defaultdict(list)
    for pk, own in grams.items():
        for gram in own:
            postings[gram].append(pk)
    pairs = set()
    for pk, own in grams.items():
        shared = Counter(other for gram in own for other in postings[gram] if other > pk)
        for other, count in shared.items():
            if count / (len(own) + len(grams[other]) - count) >= threshold:
                pairs.add((pk, other))
    return pairs


def similar_pairs_in_postgresql(connection, table, threshold: float = PREFILTER):
    """The same pairs, found by PostgreSQL through the trigram index on `crm_fold(name)`."""
    with connection.cursor() as cursor:
        # SET LOCAL lasts until the end of the transaction: the caller holds one.
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)]
        )
        cursor.execute(
            f"SELECT a.id, b.id FROM {table} a JOIN {table} b"  # noqa: S608 (our own table name)
            " ON crm_fold(a.name) % crm_fold(b.name) AND a.id < b.id"
        )
        return set(cursor.fetchall())
