"""Swedish text as data: alphabetical order (w after v, å ä ö after z), and a fold that keeps å/ä/ö."""

import random
import unicodedata

import pytest

from app.core.text import clean, fold, nfc, swedish_sort_key

A_RING_DECOMPOSED = "A\u030a"  # A + combining ring above, as text from a .docx or .pdf can come


def _sorted(names: list[str]) -> list[str]:
    shuffled = names[:]
    random.Random(3).shuffle(shuffled)
    return sorted(shuffled, key=swedish_sort_key)


def test_municipalities_in_swedish_order() -> None:
    expected = [
        "Arvidsjaur",
        "Bjurholm",
        "Lycksele",
        "Umeå",
        "Vilhelmina",
        "Vännäs",
        "Wilhelmina",
        "Zinkgruvan",
        "Åsele",
        "Älvsbyn",
        "Örnsköldsvik",
    ]
    assert _sorted(expected) == expected


def test_w_is_a_letter_of_its_own_after_v() -> None:
    assert _sorted(["Wa", "Vz", "Vb", "Wb"]) == ["Vb", "Vz", "Wa", "Wb"]


def test_a_ring_a_umlaut_o_umlaut_come_after_z_in_that_order() -> None:
    assert _sorted(["ö", "ä", "å", "z", "a", "o"]) == ["a", "o", "z", "å", "ä", "ö"]
    assert _sorted(["Öbo", "Äbo", "Åbo", "Zbo", "Obo", "Abo"]) == ["Abo", "Obo", "Zbo", "Åbo", "Äbo", "Öbo"]
    # å/ä/ö are letters, not accents: "Åsele" does not sort with "Asele".
    assert _sorted(["Åsele", "Asele", "Bsele"]) == ["Asele", "Bsele", "Åsele"]


def test_neighbouring_letters_sort_with_their_swedish_partner() -> None:
    assert _sorted(["Øy", "Öx", "Æy", "Äx", "Åz"]) == ["Åz", "Äx", "Æy", "Öx", "Øy"]
    assert _sorted(["Mz", "Myra", "Müller", "Mylla", "Muller"]) == ["Muller", "Mylla", "Müller", "Myra", "Mz"]
    assert _sorted(["Eskil", "Émile", "Erik"]) == ["Émile", "Erik", "Eskil"]


def test_case_is_ignored_first_then_breaks_ties() -> None:
    assert _sorted(["bjurholm", "Arvidsjaur", "Umeå", "arjeplog"]) == ["arjeplog", "Arvidsjaur", "bjurholm", "Umeå"]
    assert _sorted(["åsele", "ÅSELE", "Åsele"]) == ["ÅSELE", "Åsele", "åsele"]
    assert _sorted(["ÖRNSKÖLDSVIK", "umeå"]) == ["umeå", "ÖRNSKÖLDSVIK"]


def test_accents_decide_only_between_otherwise_equal_names() -> None:
    assert _sorted(["Cafe b", "Café a"]) == ["Café a", "Cafe b"]
    assert swedish_sort_key("Cafe") != swedish_sort_key("Café")


def test_shorter_names_and_spaces_come_first() -> None:
    assert _sorted(["Umeå kommun", "Umeå", "Umeåsjön", "Ume"]) == ["Ume", "Umeå", "Umeå kommun", "Umeåsjön"]


def test_the_key_is_the_same_for_composed_and_decomposed_input() -> None:
    assert swedish_sort_key(A_RING_DECOMPOSED + "sele") == swedish_sort_key("Åsele")
    assert swedish_sort_key("  Åsele   kommun ") == swedish_sort_key("Åsele kommun")


def test_fold_is_case_insensitive_and_keeps_swedish_letters() -> None:
    assert fold("ÅSELE Älvsbyn ÖRNSKÖLDSVIK") == "åsele älvsbyn örnsköldsvik"
    assert fold("Åsele") != fold("Asele")
    assert fold("Vännäs") != fold("Vannas")
    assert fold("Umeå") == fold("UMEÅ") == fold("umeå")


@pytest.mark.parametrize(
    "text",
    [A_RING_DECOMPOSED + "sele", "\u212bngström", "O\u0308rnsko\u0308ldsvik", "Ǆ", "ǰ", "ΐ", "Straße", "İstanbul"],
)
def test_fold_gives_nfc(text: str) -> None:
    folded = fold(text)
    assert unicodedata.is_normalized("NFC", folded), ascii(folded)
    assert fold(nfc(text)) == folded
    assert fold(unicodedata.normalize("NFD", text)) == folded


def test_fold_of_decomposed_swedish_letters() -> None:
    assert fold(A_RING_DECOMPOSED + "sele") == "åsele"
    assert len(fold(A_RING_DECOMPOSED)) == 1
    assert fold("\u212b") == "å"  # the Ångström sign


def test_clean_keeps_letters_and_collapses_spaces() -> None:
    assert clean("  Samråd\thälsa,\n vård  och omsorg ") == "Samråd hälsa, vård och omsorg"
    assert clean(A_RING_DECOMPOSED + "sele") == "Åsele"
    assert clean("Hälso- och sjukvård") == "Hälso- och sjukvård"
