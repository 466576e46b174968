"""Product categories: create, rename, (de)activate and list them.

Imported through :mod:`pos_app.services.catalog`, which re-exports everything public here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, func, or_, select
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Product
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, NotFoundError, ValidationError
from pos_app.services.paging import FIRST_PAGE, Page, PageRequest, check_page, check_sort
from pos_app.services.roles import Role, UserInfo
from pos_app.services.tax import check_rate
from pos_app.services.validation import (
    check_bool,
    check_id,
    clean_search,
    clean_text,
    flush_unique,
    is_text,
)

MAX_NAME = 200
MAX_SLUG = 200
MAX_DESCRIPTION = 5000
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    name: str
    slug: str
    description: str
    is_active: bool
    product_count: int
    tax_rate_bp: int = 0


_PRODUCT_COUNTS = (
    select(Product.category_id, func.count().label("n"))
    .group_by(Product.category_id)
    .subquery("product_counts")
)
_PRODUCT_COUNT = func.coalesce(_PRODUCT_COUNTS.c.n, 0)
CATEGORY_SORTS: dict[str, SQLColumnExpression[Any]] = {
    "name": Category.name_key,
    "slug": Category.slug,
    "id": Category.id,
    "products": _PRODUCT_COUNT,
    "tax": Category.tax_rate_bp,
}


def slugify(text: str) -> str:
    """'Crème Brûlée & Co' -> 'creme-brulee-co'."""
    if not is_text(text):
        raise ValidationError("The name must be text.", field="name")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:MAX_SLUG].strip("-")


def clean_description(value: object) -> str:
    """Optional free text of several lines."""
    return clean_text(
        value,
        "description",
        "description",
        max_length=MAX_DESCRIPTION,
        required=False,
        multiline=True,
    )


def _category_slug(name: str, slug: object) -> str:
    if slug is None:
        derived = slugify(name)
        return derived or "category-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    text = clean_text(slug, "slug", "slug", max_length=MAX_SLUG)
    clean = slugify(text)
    if not clean:
        raise ValidationError("A slug needs at least one letter or digit.", field="slug")
    return clean


def _check_slug_free(session: Session, slug: str, category_id: int | None = None) -> None:
    query = select(Category.id).where(Category.slug == slug)
    if category_id is not None:
        query = query.where(Category.id != category_id)
    if session.scalar(query) is not None:
        raise ConflictError(f"A category with the slug '{slug}' already exists.", field="slug")


def _category_query() -> Select[*tuple[Any, ...]]:
    return select(
        Category.id,
        Category.name,
        Category.slug,
        Category.description,
        Category.is_active,
        _PRODUCT_COUNT.label("product_count"),
        Category.tax_rate_bp,
    ).outerjoin(_PRODUCT_COUNTS, _PRODUCT_COUNTS.c.category_id == Category.id)


def _load_category(session: Session, category_id: int) -> CategoryInfo:
    row = session.execute(_category_query().where(Category.id == category_id)).first()
    if row is None:
        raise NotFoundError("No such category.", field="category_id")
    return CategoryInfo(**row._asdict())


def _lock_category(session: Session, category_id: object) -> Category:
    cid = check_id(category_id, "category_id", "category")
    category = session.get(Category, cid, with_for_update=True)
    if category is None:
        raise NotFoundError("No such category.", field="category_id")
    return category


def create_category(
    ctx: ServiceContext,
    actor: UserSession,
    *,
    name: str,
    slug: str | None = None,
    description: str = "",
    tax_rate_bp: int | None = None,
) -> CategoryInfo:
    """A new category; its tax rate is ``tax_rate_bp``, else the shop's default rate."""
    clean_name = clean_text(name, "name", "category name", max_length=MAX_NAME)
    clean_slug = _category_slug(clean_name, slug)
    text = clean_description(description)
    rate = ctx.default_tax_bp if tax_rate_bp is None else check_rate(tax_rate_bp)
    with ctx.unit_of_work() as session:
        authorize(session, ctx, actor, Role.MANAGER, "create categories")
        _check_slug_free(session, clean_slug)
        category = Category(
            name=clean_name,
            slug=clean_slug,
            description=text,
            is_active=True,
            tax_rate_bp=rate,
            created_at=ctx.now(),
        )
        session.add(category)
        flush_unique(session)
        audit.record(
            session,
            ctx,
            action=audit.CATEGORY_CREATED,
            user_id=actor.id,
            subject=clean_name,
            detail={"category_id": category.id, "slug": clean_slug, "tax_rate_bp": rate},
        )
        info = _load_category(session, category.id)
        session.commit()
        return info


def update_category(
    ctx: ServiceContext,
    actor: UserSession,
    category_id: int,
    *,
    name: str | None = None,
    slug: str | None = None,
    description: str | None = None,
    tax_rate_bp: int | None = None,
) -> CategoryInfo:
    """Change what is given; a new tax rate applies to sales from then on and is audited."""
    rate = None if tax_rate_bp is None else check_rate(tax_rate_bp)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "edit categories")
        category = _lock_category(session, category_id)
        before = _category_fields(category)
        if rate is not None and rate != category.tax_rate_bp:
            audit.record(
                session,
                ctx,
                action=audit.TAX_RATE_CHANGED,
                user_id=actor.id,
                subject=category.name,
                detail={
                    "category_id": category.id,
                    "old_rate_bp": category.tax_rate_bp,
                    "new_rate_bp": rate,
                },
            )
            category.tax_rate_bp = rate
        if name is not None:
            category.name = clean_text(name, "name", "category name", max_length=MAX_NAME)
        if slug is not None:
            new_slug = _category_slug(category.name, slug)
            _check_slug_free(session, new_slug, category.id)
            category.slug = new_slug
        if description is not None:
            category.description = clean_description(description)
        flush_unique(session)
        _audit_change(session, ctx, acting, category, before)
        info = _load_category(session, category.id)
        session.commit()
        return info


def _category_fields(category: Category) -> dict[str, object]:
    return {
        "name": category.name,
        "slug": category.slug,
        "description": category.description,
        "is_active": category.is_active,
    }


def _audit_change(
    session: Session,
    ctx: ServiceContext,
    actor: UserInfo,
    category: Category,
    before: dict[str, object],
) -> None:
    changed = audit.changes(before, _category_fields(category))
    if changed:
        audit.record(
            session,
            ctx,
            action=audit.CATEGORY_CHANGED,
            user_id=actor.id,
            subject=category.name,
            detail={"category_id": category.id, "changes": changed},
        )


def set_category_active(
    ctx: ServiceContext, actor: UserSession, category_id: int, active: bool
) -> CategoryInfo:
    wanted = check_bool(active, "active")
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "activate or deactivate categories")
        category = _lock_category(session, category_id)
        before = _category_fields(category)
        category.is_active = wanted
        flush_unique(session)
        _audit_change(session, ctx, acting, category, before)
        info = _load_category(session, category.id)
        session.commit()
        return info


def get_category(ctx: ServiceContext, actor: UserSession, category_id: int) -> CategoryInfo:
    cid = check_id(category_id, "category_id", "category")
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "view categories")
        return _load_category(session, cid)


def list_categories(
    ctx: ServiceContext,
    actor: UserSession,
    *,
    page: PageRequest = FIRST_PAGE,
    sort: str = "name",
    descending: bool = False,
    search: str | None = None,
    include_inactive: bool = True,
) -> Page[CategoryInfo]:
    offset, limit = check_page(page)
    column = CATEGORY_SORTS[check_sort(sort, CATEGORY_SORTS)]
    desc = check_bool(descending, "descending")
    text = clean_search(search)
    conditions: list[ColumnElement[bool]] = []
    if not check_bool(include_inactive, "include_inactive"):
        conditions.append(Category.is_active.is_(True))
    if text is not None:
        conditions.append(
            or_(
                Category.name.icontains(text, autoescape=True),
                Category.slug.icontains(text, autoescape=True),
            )
        )
    order = [column.desc(), Category.id.desc()] if desc else [column.asc(), Category.id.asc()]
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "view categories")
        total = session.scalar(select(func.count()).select_from(Category).where(*conditions)) or 0
        rows = session.execute(
            _category_query().where(*conditions).order_by(*order).offset(offset).limit(limit)
        )
        items = [CategoryInfo(**row._asdict()) for row in rows]
    return Page(items=items, total=total, offset=offset, limit=limit)
