"""Trigram look-alikes: `similar_pairs` finds what comparing every pair finds, without
comparing every pair."""

import itertools
import random

import pytest

from partners.similarity import similar_pairs, similarity

SYLLABLES = ["ba", "bio", "cel", "gen", "ka", "lu", "med", "no", "pha", "ri", "sa", "to", "x"]


def made_up_names(count, seed):
    rng = random.Random(seed)
    return {
        pk: " ".join(
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(1, 3))
        )
        for pk in range(1, count + 1)
    }


def every_pair(texts, threshold):
    return {
        (a, b)
        for a, b in itertools.combinations(sorted(texts), 2)
        if similarity(texts[a], texts[b]) >= threshold
    }


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.6])
def test_similar_pairs_are_those_an_exhaustive_comparison_finds(threshold):
    texts = made_up_names(400, seed=threshold)
    expected = every_pair(texts, threshold)
    assert len(expected) > 50  # look-alikes aplenty, of every length
    assert similar_pairs(texts, threshold) == expected


def test_one_and_two_letter_words_are_compared_too():
    texts = {1: "a", 2: "a", 3: "ab", 4: "ab", 5: "x y", 6: "x y z", 7: "q"}
    assert similar_pairs(texts, 0.5) == every_pair(texts, 0.5)


def test_trigrams_common_to_many_names_bring_no_candidates_but_rare_ones_still_do():
    texts = {pk: name for pk, name in enumerate(["Cixsa Institute", "Chizi Institute"], 1)}
    texts.update({pk: f"Name{pk} Institute" for pk in range(3, 13)})
    texts.update(
        {13: "Lithuanian Biotechnology Association", 14: "Lithuanian Biotechnology Asociation"}
    )
    assert (1, 2) in similar_pairs(texts, 0.5)
    # The made-up pair owes its similarity to the trigrams of "Institute", in 12 names; the
    # misspelt one shares rarer trigrams.
    found = similar_pairs(texts, 0.5, common=5)
    assert (1, 2) not in found and (13, 14) in found
