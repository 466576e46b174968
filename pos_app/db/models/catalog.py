"""What the shop sells and how much of it is on the shelf."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from pos_app.db.models.base import Base, fk
from pos_app.db.types import (
    BigIntPK,
    NameKey,
    SearchTerm,
    cents,
    intpk,
    name_key,
    name_key_default,
    name_str,
    utc_timestamp,
)
from pos_app.domain.tax import MAX_TAX_RATE_BP

MOVEMENT_REASONS = ("restock", "sale", "adjustment", "refund")


class Category(Base):
    __tablename__ = "categories"
    __table_args__ = (
        CheckConstraint("tax_rate_bp >= 0 AND tax_rate_bp <= 10000", name="tax_rate_in_range"),
        Index("ix_categories_name_key", "name_key", "id"),
    )

    id: Mapped[intpk]
    name: Mapped[name_str]
    # What the name sorts by (``types.name_key``), kept with the name.
    name_key: Mapped[str] = mapped_column(
        NameKey, nullable=False, default=name_key_default, server_default=""
    )
    slug: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=true())
    created_at: Mapped[utc_timestamp]
    # Value-added tax contained in the (tax-inclusive) prices, in basis points: 1900 = 19 %.
    tax_rate_bp: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")

    products: Mapped[list[Product]] = relationship(back_populates="category")

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_non_negative"),
        CheckConstraint("sold_by IN ('piece', 'weight')", name="sold_by_known"),
        CheckConstraint(
            "scale_code IS NULL OR (scale_code >= 1 AND scale_code <= 999999)",
            name="scale_code_in_range",
        ),
        # Name order first, then what a search tests: a search walks it in order (0009).
        Index("ix_products_search", "name_key", "id", "name", "sku", "barcode"),
        Index("ix_products_scale_code", "scale_code", unique=True),
    )

    id: Mapped[intpk]
    name: Mapped[name_str]
    # What the name sorts by (``types.name_key``), kept with the name; lists sort by it, then id.
    name_key: Mapped[str] = mapped_column(
        NameKey, nullable=False, default=name_key_default, server_default=""
    )
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    category_id: Mapped[int] = fk("categories.id")
    sku: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    barcode: Mapped[str | None] = mapped_column(String(14), unique=True)
    # Per piece, or per kilogram when the product is sold by weight.
    price_cents: Mapped[cents]
    # 'piece', or 'weight': then quantities (stock, sale lines) are grams.
    sold_by: Mapped[str] = mapped_column(String(8), nullable=False, server_default="piece")
    # The item code (PLU) the shop's scale prints on its labels.
    scale_code: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=true())
    created_at: Mapped[utc_timestamp]
    updated_at: Mapped[utc_timestamp]

    category: Mapped[Category] = relationship(back_populates="products")
    inventory: Mapped[Inventory] = relationship(back_populates="product", uselist=False)

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name


class ProductSearchTerm(Base):
    """Where a typed filter can start: each place in a product's case-folded name (cut to
    ``SEARCH_TERM_LENGTH`` characters), its SKU and its barcode. A search reads the terms that
    start with what was typed, so a rare text finds its few products without reading them all.

    It is derived from ``products`` (``pos_app.db.search_terms`` keeps it), so it has no foreign
    key: that would cost a second index as large as this table.
    """

    __tablename__ = "product_search_terms"
    # Stored in its key's order on SQLite too (as InnoDB does): half the size of a rowid table
    # with a separate index on (term, product_id).
    __table_args__ = {"sqlite_with_rowid": False}

    term: Mapped[str] = mapped_column(SearchTerm, primary_key=True)
    product_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class Inventory(Base):
    __tablename__ = "inventories"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_non_negative"),
        Index("ix_inventories_quantity", "quantity"),
    )

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(
        BigIntPK, ForeignKey("products.id"), unique=True, nullable=False
    )
    # Pieces, or grams of a product sold by weight.
    quantity: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    updated_at: Mapped[utc_timestamp]

    product: Mapped[Product] = relationship(back_populates="inventory")


class StockMovement(Base):
    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("quantity_change <> 0", name="change_not_zero"),
        CheckConstraint(
            "reason IN ('restock', 'sale', 'adjustment', 'refund')", name="reason_known"
        ),
        Index("ix_stock_movements_product_created", "product_id", "created_at"),
    )

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(BigIntPK, ForeignKey("products.id"), nullable=False)
    quantity_change: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    user_id: Mapped[int | None] = fk("users.id", nullable=True)
    sale_id: Mapped[int | None] = fk("sales.id", nullable=True)
    created_at: Mapped[utc_timestamp]


__all__ = [
    "MAX_TAX_RATE_BP",
    "MOVEMENT_REASONS",
    "Category",
    "Inventory",
    "Product",
    "StockMovement",
]
