"""What the shop sells and how much of it is on the shelf (categories and products are
declared in ``pos_app.db.tables``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from pos_app.db import tables
from pos_app.db.models.base import Base, fk, intpk, utc_timestamp
from pos_app.db.types import BigIntPK, SearchTerm, name_key
from pos_app.domain.tax import MAX_TAX_RATE_BP

MOVEMENT_REASONS = ("restock", "sale", "adjustment", "refund")


class Category(Base):
    __table__ = tables.categories

    id: Mapped[int]
    name: Mapped[str]
    name_key: Mapped[str]
    slug: Mapped[str]
    description: Mapped[str]
    is_active: Mapped[bool]
    created_at: Mapped[datetime]
    tax_rate_bp: Mapped[int]

    products: Mapped[list[Product]] = relationship(back_populates="category")

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name


class Product(Base):
    __table__ = tables.products

    id: Mapped[int]
    name: Mapped[str]
    name_key: Mapped[str]
    description: Mapped[str]
    category_id: Mapped[int]
    sku: Mapped[str]
    barcode: Mapped[str | None]
    price_cents: Mapped[int]
    sold_by: Mapped[str]
    scale_code: Mapped[int | None]
    is_active: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

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
