"""What the till's cart takes, in sentences a cashier reads: quantities of pieces and grams, and
how a weighed line with scale labels is sold (the labels' grams at their price, the rest weighed
at the till)."""

from __future__ import annotations

from pos_app.domain.weights import MAX_GRAMS, LabelTotal, format_quantity, format_weight

TILL_MAX_PIECES = 9999
"""The most pieces of one product the till's cart takes on one line."""


def quantity_limit(weighed: bool, max_pieces: int = TILL_MAX_PIECES) -> int:
    return MAX_GRAMS if weighed else max_pieces


def quantity_refusal(
    quantity: int, weighed: bool = False, max_pieces: int = TILL_MAX_PIECES
) -> str | None:
    """The sentence for a quantity the cart does not take, or None for a good one."""
    if 1 <= quantity <= quantity_limit(weighed, max_pieces):
        return None
    if weighed:
        return f"A weight of {format_weight(quantity)} is not possible; weigh up to 999.999 kg."
    return f"A quantity of {quantity} is not possible; enter from 1 to {max_pieces:,}."


def merged_refusal(
    name: str, in_cart: int, weighed: bool, max_pieces: int = TILL_MAX_PIECES
) -> str:
    sold_by = "weight" if weighed else "piece"
    shown = format_quantity(in_cart, sold_by)
    most = format_quantity(quantity_limit(weighed, max_pieces), sold_by)
    return f"{name} has {shown} in the cart; a line can have at most {most}."


def below_labels_refusal(name: str, labels: LabelTotal) -> str:
    return (
        f"The scale labels of {name} cover {format_weight(labels.grams)}; "
        "remove the line to sell less."
    )


def sold_parts(quantity: int, labels: LabelTotal | None) -> list[tuple[int, int | None]]:
    """(quantity, label price) of what a line is sold as: the grams its labels cover at their
    price, then the rest (or the whole line) at the till's price."""
    if labels is None:
        return [(quantity, None)]
    rest = quantity - labels.grams
    labelled: list[tuple[int, int | None]] = [(labels.grams, labels.price_cents)]
    return labelled + ([(rest, None)] if rest > 0 else [])


__all__ = [
    "TILL_MAX_PIECES",
    "below_labels_refusal",
    "merged_refusal",
    "quantity_limit",
    "quantity_refusal",
    "sold_parts",
]
