"""Forms to create and edit products and categories; errors show next to the field they name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from pos_app.domain.weights import SoldBy, parse_weight
from pos_app.services import catalog
from pos_app.services.catalog import MAX_SCALE_CODE, MAX_STOCK, CategoryInfo, ProductInfo
from pos_app.services.errors import ValidationError
from pos_app.services.tax import parse_tax_rate, plain_rate
from pos_app.ui.changes import Changes
from pos_app.ui.forms import FieldProblems, ServiceDialog
from pos_app.ui.session import UiSession
from pos_app.ui.translation import QT_TRANSLATE_NOOP, number

MAX_INITIAL_STOCK = 1_000_000


def line_edit(name: str, text: str = "", placeholder: str = "", max_length: int = 200) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    return edit


def text_edit(name: str, text: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(72)
    return edit


PRICE_LABEL = QT_TRANSLATE_NOOP("ProductDialog", "&Price")
PRICE_PER_KG_LABEL = QT_TRANSLATE_NOOP("ProductDialog", "&Price per kg")


class ProductDialog(ServiceDialog):
    """New product (``product`` None) or edit one; the price is typed as money, e.g. 2.49.

    "Sold by weight" makes the price one per kg, enables the scale code (the item code on the
    scale's labels) and asks the opening stock in kg instead of pieces.
    """

    changes = Changes(catalog=True, stock=True)

    def __init__(
        self,
        session: UiSession,
        categories: Sequence[CategoryInfo],
        product: ProductInfo | None = None,
        parent: QWidget | None = None,
        category_id: int | None = None,
    ) -> None:
        """``category_id`` is preselected for a new product."""
        super().__init__(self.tr("Edit product") if product else self.tr("New product"), parent)
        self.setObjectName("productDialog")
        self._session = session
        self._product = product
        self._build_ui(categories)
        if product is None and category_id is not None:
            index = self.category_field.findData(category_id)
            self.category_field.setCurrentIndex(max(0, index))
        self.errors.checker = self._check_field

    def _build_ui(self, categories: Sequence[CategoryInfo]) -> None:
        product = self._product
        self.name_field = line_edit("nameField", product.name if product else "")
        self.category_field = QComboBox()
        self.category_field.setObjectName("categoryField")
        for category in categories:
            if category.is_active or (product and product.category_id == category.id):
                self.category_field.addItem(category.name, category.id)
        if product is not None:
            self.category_field.setCurrentIndex(self.category_field.findData(product.category_id))
        self.sku_field = line_edit("skuField", product.sku if product else "", max_length=64)
        self.barcode_field = line_edit(
            "barcodeField",
            (product.barcode or "") if product else "",
            self.tr("EAN-13 or UPC-A (optional)"),
            max_length=14,
        )
        self.price_field = line_edit(
            "priceField",
            self._session.fmt.amount(product.price_cents) if product else "",
            f"e.g. {self._session.fmt.example()}",
            20,
        )
        self.sold_by_weight_field = QCheckBox(self.tr("Sold by &weight (price per kg)"))
        self.sold_by_weight_field.setObjectName("soldByWeightField")
        self.sold_by_weight_field.setChecked(product is not None and product.is_weighed)
        self.scale_code_field = line_edit(
            "scaleCodeField",
            str(product.scale_code) if product and product.scale_code else "",
            self.tr("PLU on scale labels (optional)"),
            max_length=6,
        )
        self.description_field = text_edit(
            "descriptionField", product.description if product else ""
        )
        add = self.errors.add_row
        add(self.form, self.tr("&Name"), self.name_field, "name")
        add(self.form, self.tr("&Category"), self.category_field, "category", ["category_id"])
        add(self.form, self.tr("&SKU"), self.sku_field, "sku")
        add(self.form, self.tr("&Barcode"), self.barcode_field, "barcode")
        add(self.form, self.tr("Sold by"), self.sold_by_weight_field, "sold_by")
        add(self.form, self.tr(PRICE_LABEL), self.price_field, "price", ["price_cents"])
        add(self.form, self.tr("Sc&ale code"), self.scale_code_field, "scale_code")
        add(self.form, self.tr("&Description"), self.description_field, "description")
        self.initial_stock_field: QSpinBox | None = None
        self.initial_weight_field: QLineEdit | None = None
        if product is None:
            self.initial_stock_field = QSpinBox()
            self.initial_stock_field.setObjectName("initialStockField")
            self.initial_stock_field.setRange(0, MAX_INITIAL_STOCK)
            add(self.form, self.tr("Initial &stock"), self.initial_stock_field, "initial_stock")
            self.initial_weight_field = line_edit(
                "initialWeightField", "", self.tr("kg, e.g. 5.250 (optional)"), 20
            )
            add(
                self.form,
                self.tr("Initial stock (&kg)"),
                self.initial_weight_field,
                "initial_weight",
            )
        self.sold_by_weight_field.toggled.connect(self._on_sold_by_weight_toggled)
        self._on_sold_by_weight_toggled(self.sold_by_weight_field.isChecked())
        self.name_field.setFocus()

    @property
    def price_label(self) -> QLabel:
        label = self.form.labelForField(_row_of(self.price_field))
        assert isinstance(label, QLabel)
        return label

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        self.form.setRowVisible(_row_of(field), visible)

    def _on_sold_by_weight_toggled(self, weighed: bool) -> None:
        self.price_label.setText(self.tr(PRICE_PER_KG_LABEL if weighed else PRICE_LABEL))
        example = self._session.fmt.example()
        hint = self.tr("per kg, e.g. {0}") if weighed else self.tr("e.g. {0}")
        self.price_field.setPlaceholderText(hint.format(example))
        self._set_row_visible(self.scale_code_field, weighed)
        if self.initial_stock_field is not None and self.initial_weight_field is not None:
            self._set_row_visible(self.initial_stock_field, not weighed)
            self._set_row_visible(self.initial_weight_field, weighed)
        self.adjustSize()

    @property
    def sold_by(self) -> SoldBy:
        return SoldBy.WEIGHT if self.sold_by_weight_field.isChecked() else SoldBy.PIECE

    def _scale_code(self) -> int | None:
        text = self.scale_code_field.text().strip()
        if self.sold_by is SoldBy.PIECE or not text:
            return None
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_SCALE_CODE):
            raise ValidationError(
                self.tr("Enter the scale code as a number from 1 to {0}.").format(
                    number(MAX_SCALE_CODE)
                ),
                field="scale_code",
            )
        return int(text)

    def _initial_stock(self) -> int:
        if self.sold_by is SoldBy.WEIGHT and self.initial_weight_field is not None:
            text = self.initial_weight_field.text().strip()
            if not text:
                return 0
            return parse_weight(text, "initial_weight", allow_zero=True, maximum=MAX_STOCK)
        return self.initial_stock_field.value() if self.initial_stock_field else 0

    def _problems(self) -> list[ValidationError]:
        """Everything wrong with the form that needs no database, every field at once."""
        problems = catalog.product_field_problems(
            self.name_field.text(),
            self.sku_field.text(),
            self.barcode_field.text().strip() or None,
            self.description_field.toPlainText(),
        )
        try:
            self._session.fmt.parse_money(self.price_field.text(), "price")
        except ValidationError as problem:
            problems.append(problem)
        if self.category_field.currentData() is None:
            problems.append(
                ValidationError("Choose a category (create one first).", field="category")
            )
        for read in (self._scale_code, self._initial_stock):
            try:
                read()
            except ValidationError as problem:
                problems.append(problem)
        return problems

    def _check_field(self, field: str) -> ValidationError | None:
        return next((p for p in self._problems() if p.field == field), None)

    def _operation(self) -> Callable[[], Any]:
        ctx, actor = self._session.ctx, self._session.user
        problems = self._problems()
        if problems:
            raise FieldProblems(problems)
        price_cents = self._session.fmt.parse_money(self.price_field.text(), "price")
        category_id = self.category_field.currentData()
        name = self.name_field.text()
        sku = self.sku_field.text()
        barcode = self.barcode_field.text().strip() or None
        description = self.description_field.toPlainText()
        sold_by, scale_code = self.sold_by, self._scale_code()
        if self._product is None:
            stock = self._initial_stock()
            return lambda: catalog.create_product(
                ctx,
                actor,
                name=name,
                category_id=category_id,
                sku=sku,
                price_cents=price_cents,
                barcode=barcode,
                description=description,
                initial_stock=stock,
                sold_by=sold_by,
                scale_code=scale_code,
            )
        product_id = self._product.id
        return lambda: catalog.update_product(
            ctx,
            actor,
            product_id,
            name=name,
            category_id=category_id,
            sku=sku,
            barcode=barcode,
            price_cents=price_cents,
            description=description,
            sold_by=sold_by,
            scale_code=scale_code,
        )


def _row_of(field: QWidget) -> QWidget:
    """The widget holding a field and its error line: what the form lays out as the row."""
    holder = field.parentWidget()
    assert holder is not None
    return holder


class CategoryDialog(ServiceDialog):
    """New category or edit one; an empty slug is made from the name."""

    changes = Changes(catalog=True)

    def __init__(
        self,
        session: UiSession,
        category: CategoryInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Edit category") if category else self.tr("New category"), parent)
        self.setObjectName("categoryDialog")
        self._session = session
        self._category = category
        self._build_ui()

    def _build_ui(self) -> None:
        category = self._category
        self.name_field = line_edit("nameField", category.name if category else "")
        self.slug_field = line_edit(
            "slugField", category.slug if category else "", self.tr("made from the name when empty")
        )
        self.description_field = text_edit(
            "descriptionField", category.description if category else ""
        )
        rate = category.tax_rate_bp if category else self._session.ctx.default_tax_bp
        self.tax_rate_field = line_edit(
            "taxRateField", plain_rate(rate), self.tr("e.g. 19 or 7.5"), 12
        )
        self.tax_rate_field.setToolTip(
            self.tr(
                "The tax rate of this category's products, in per cent. "
                "A change applies to sales from then on; sales already "
                "made keep their rate."
            )
        )
        self.errors.add_row(self.form, self.tr("&Name"), self.name_field, "name")
        self.errors.add_row(self.form, self.tr("S&lug"), self.slug_field, "slug")
        self.errors.add_row(self.form, self.tr("&Tax rate (%)"), self.tax_rate_field, "tax_rate_bp")
        self.errors.add_row(
            self.form, self.tr("&Description"), self.description_field, "description"
        )
        self.name_field.setFocus()

    def _operation(self) -> Callable[[], Any]:
        ctx, actor = self._session.ctx, self._session.user
        name = self.name_field.text()
        slug = self.slug_field.text().strip() or None
        description = self.description_field.toPlainText()
        rate = parse_tax_rate(self.tax_rate_field.text(), "tax_rate_bp")
        if self._category is None:
            return lambda: catalog.create_category(
                ctx, actor, name=name, slug=slug, description=description, tax_rate_bp=rate
            )
        category_id = self._category.id
        return lambda: catalog.update_category(
            ctx,
            actor,
            category_id,
            name=name,
            slug=slug,
            description=description,
            tax_rate_bp=rate,
        )
