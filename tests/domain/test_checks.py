"""Input checks: ids, whole numbers and text arrive in the shape the rules expect."""

from __future__ import annotations

import pytest

from pos_app.domain.checks import (
    MAX_ID,
    check_id,
    check_int,
    clean_search,
    clean_text,
    is_id,
    is_whole_number,
)
from pos_app.domain.errors import ValidationError


@pytest.mark.parametrize("value", [0, -1, MAX_ID + 1, True, "1", 1.0, None])
def test_only_positive_integers_within_a_bigint_are_ids(value: object) -> None:
    assert not is_id(value)
    with pytest.raises(ValidationError, match=r"Choose a valid product\."):
        check_id(value, "product_id", "product")


def test_ids_and_whole_numbers_pass() -> None:
    assert is_id(1) and is_id(MAX_ID) and check_id(MAX_ID, "id", "thing") == MAX_ID
    assert is_whole_number(-3) and not is_whole_number(False)
    assert check_int(5, "n", "number", minimum=0, maximum=5) == 5
    with pytest.raises(ValidationError, match="between 0 and 5"):
        check_int(6, "n", "number", minimum=0, maximum=5)


def test_text_is_stripped_and_control_characters_refused() -> None:
    assert clean_text("  Bread ", "name", "name", max_length=10) == "Bread"
    assert clean_text("a\nb", "note", "note", max_length=10, multiline=True) == "a\nb"
    for bad in ["", "a\x00b", "\ud800", "x" * 11, 5]:
        with pytest.raises(ValidationError):
            clean_text(bad, "name", "name", max_length=10)
    assert clean_search("  ") is None and clean_search(None) is None
