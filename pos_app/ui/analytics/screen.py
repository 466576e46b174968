"""Analytics for the owner: a date range in buckets, filtered by category and product."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.services import analytics
from pos_app.services.analytics import Bucket, BucketRow, SalesQuery, SalesReport
from pos_app.services.analytics_breakdowns import Breakdown
from pos_app.services.roles import Role
from pos_app.ui.analytics.chart import BUCKET_NAMES, SalesChart
from pos_app.ui.analytics.date_field import date_edit, months_back, to_date, to_qdate
from pos_app.ui.analytics.filters import FilterPanel
from pos_app.ui.analytics.insights import InsightTabs
from pos_app.ui.analytics.sale_lines import SaleLinesExport
from pos_app.ui.analytics.tables import (
    average,
    breakdown_columns,
    bucket_columns,
    write_buckets_csv,
)
from pos_app.ui.changes import Changes, Freshness
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import button, table_view
from pos_app.ui.models import RowTableModel
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import LatestOnly
from pos_app.ui.translation import QT_TRANSLATE_NOOP, translated

BUCKETS = (
    (QT_TRANSLATE_NOOP("Bucket", "Daily"), Bucket.DAILY),
    (QT_TRANSLATE_NOOP("Bucket", "Weekly"), Bucket.WEEKLY),
    (QT_TRANSLATE_NOOP("Bucket", "Monthly"), Bucket.MONTHLY),
    (QT_TRANSLATE_NOOP("Bucket", "Yearly"), Bucket.YEARLY),
    (QT_TRANSLATE_NOOP("Bucket", "Whole range"), Bucket.NONE),
)


class AnalyticsScreen(QWidget):
    """Revenue chart, bucket table and breakdowns; queries run in the background."""

    message = Signal(str, bool)
    report_ready = Signal(object)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analyticsScreen")
        self._session = session
        self._allowed = session.may(Role.OWNER)
        self._report: SalesReport | None = None
        self._latest = LatestOnly(self)
        self._busy = False
        self.freshness = Freshness(
            self, Changes(sales=True, refunds=True, catalog=True), self.refresh
        )
        money = session.money
        self.buckets = RowTableModel[BucketRow](bucket_columns(session.fmt), self)
        self.categories = RowTableModel[Breakdown](breakdown_columns(money, self._total), self)
        self.products = RowTableModel[Breakdown](breakdown_columns(money, self._total), self)
        self._build_ui()
        self._connect_signals()
        self.set_range(self.today() - timedelta(days=29), self.today(), Bucket.DAILY)
        self.setEnabled(self._allowed)
        if not self._allowed:
            self.chart.show_message(self.tr("Only owners can see analytics."))

    # -- building -----------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.from_field = date_edit("fromDate")
        self.to_field = date_edit("toDate")
        self.bucket_combo = QComboBox()
        self.bucket_combo.setObjectName("bucketCombo")
        for text, bucket in BUCKETS:
            self.bucket_combo.addItem(translated("Bucket", text), bucket.value)
        self.range_buttons = {
            "last30": button("rangeLast30Days", self.tr("Last 30 days")),
            "month": button("rangeThisMonth", self.tr("This month")),
            "year": button("rangeThisYear", self.tr("This year")),
            "last12": button("rangeLast12Months", self.tr("Last 12 months")),
        }
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("busyIndicator")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setFixedWidth(90)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.export_png_button = button("exportPngButton", self.tr("Export chart…"))
        self.export_csv_button = button("exportCsvButton", self.tr("Export CSV…"))
        self.sale_lines = SaleLinesExport(self._session, self, self._dates)
        # Dates and bucket, then the quick ranges, then the figures and exports: three short rows
        # instead of one long one, so the screen fits a 1024-pixel till screen.
        controls = QHBoxLayout()
        for field in (
            QLabel(self.tr("From")),
            self.from_field,
            QLabel(self.tr("to")),
            self.to_field,
        ):
            controls.addWidget(field)
        controls.addSpacing(8)
        controls.addWidget(QLabel(self.tr("Per")))
        controls.addWidget(self.bucket_combo)
        controls.addStretch(1)
        controls.addWidget(self.busy_bar)
        ranges = QHBoxLayout()
        for widget in self.range_buttons.values():
            ranges.addWidget(widget)
        ranges.addStretch(1)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("reportSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        summary = QHBoxLayout()
        summary.addWidget(self.summary_label, 1)
        summary.addWidget(self.export_png_button)
        summary.addWidget(self.export_csv_button)
        summary.addWidget(self.sale_lines.button)
        self.filters = FilterPanel(self._session)
        self.filters.setMinimumWidth(220)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.filters)
        splitter.addWidget(self._build_report_area())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 1070])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(controls)
        layout.addLayout(ranges)
        layout.addLayout(summary)
        layout.addWidget(splitter, 1)

    def _build_report_area(self) -> QWidget:
        self.chart = SalesChart()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        self.bucket_view = table_view("bucketTable", self.buckets)
        self.category_view = table_view("categoryBreakdown", self.categories)
        self.product_view = table_view("productBreakdown", self.products)
        for view in (self.bucket_view, self.category_view, self.product_view):
            view.horizontalHeader().setStretchLastSection(False)
            for column in range(view.model().columnCount()):
                view.setColumnWidth(column, 130)
        for view in (self.category_view, self.product_view):
            view.setColumnWidth(0, 280)
        # Each period column as wide as its title and figures, the last one taking what is left:
        # at 1024 pixels every column shows without a sideways scroll.
        periods = self.bucket_view.horizontalHeader()
        periods.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        periods.setStretchLastSection(True)
        self.tabs.addTab(self.bucket_view, self.tr("Periods"))
        self.tabs.addTab(self.category_view, self.tr("By category"))
        self.tabs.addTab(self.product_view, self.tr("By product"))
        self.insights = InsightTabs(self._session, self.tabs, self)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.tabs)
        splitter.setSizes([420, 260])
        return splitter

    def _connect_signals(self) -> None:
        self.from_field.dateChanged.connect(self._on_date_changed)
        self.to_field.dateChanged.connect(self._on_date_changed)
        self.bucket_combo.currentIndexChanged.connect(self._on_bucket_changed)
        self.filters.changed.connect(self._on_filters_changed)
        self.filters.failed.connect(self._on_report_failed)
        self.range_buttons["last30"].clicked.connect(self._on_last_30_days_clicked)
        self.range_buttons["month"].clicked.connect(self._on_this_month_clicked)
        self.range_buttons["year"].clicked.connect(self._on_this_year_clicked)
        self.range_buttons["last12"].clicked.connect(self._on_last_12_months_clicked)
        self.export_png_button.clicked.connect(self._on_export_png_clicked)
        self.export_csv_button.clicked.connect(self._on_export_csv_clicked)
        self.sale_lines.message.connect(self.message.emit)

    # -- state --------------------------------------------------------------------------------

    @property
    def report(self) -> SalesReport | None:
        return self._report

    @property
    def busy(self) -> bool:
        return self._busy

    def today(self) -> date:
        ctx = self._session.ctx
        return ctx.local_date(ctx.now())

    def query(self) -> SalesQuery:
        return SalesQuery(
            start=to_date(self.from_field.date()),
            end=to_date(self.to_field.date()),
            bucket=Bucket(self.bucket_combo.currentData()),
            product_ids=self.filters.product_ids(),
            category_ids=self.filters.category_ids(),
        )

    def set_range(self, start: date, end: date, bucket: Bucket | None = None) -> None:
        """Set the dates (and bucket) at once without querying for each change."""
        for widget in (self.from_field, self.to_field, self.bucket_combo):
            widget.blockSignals(True)
        self.from_field.setDate(to_qdate(start))
        self.to_field.setDate(to_qdate(end))
        if bucket is not None:
            self.bucket_combo.setCurrentIndex(self.bucket_combo.findData(bucket.value))
        for widget in (self.from_field, self.to_field, self.bucket_combo):
            widget.blockSignals(False)

    def _total(self) -> int:
        return self._report.revenue_cents if self._report else 0

    # -- querying -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the filter choices and run the report again."""
        if not self._allowed:
            return
        self.freshness.mark_fresh()
        self.filters.load()
        self.insights.invalidate()
        self.run_query()

    def run_query(self) -> None:
        """Run the current query; a newer one replaces one still running."""
        if not self._allowed:
            return
        ctx, actor, query = self._session.ctx, self._session.user, self.query()
        self._set_busy(True)
        self._latest.run(
            lambda: analytics.sales_data(ctx, actor, query),
            self._on_report_loaded,
            self._on_report_failed,
        )
        self.insights.set_range(query.start, query.end)

    def _dates(self) -> tuple[date, date]:
        return to_date(self.from_field.date()), to_date(self.to_field.date())

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def _on_report_loaded(self, report: SalesReport) -> None:
        self._set_busy(False)
        self._report = report
        money = self._session.money
        self.buckets.set_rows(report.buckets)
        self.categories.set_rows(report.by_category)
        self.products.set_rows(report.by_product)
        if report.sales == 0:
            self.chart.show_message(self.tr("No sales in this range."))
        else:
            self.chart.show_report(report, self._session.fmt, self.filters.description())
        self.summary_label.setText(
            self.tr(
                "Revenue <b>{0}</b> · Sales <b>{1}</b> · Units "
                "<b>{2}</b> · Average sale <b>{3}</b> · {4}{5}"
            ).format(
                money(report.revenue_cents),
                self._session.fmt.number(report.sales),
                self._session.fmt.number(report.units),
                money(average(report.revenue_cents, report.sales)),
                _discounts(report, money),
                self.filters.summary(),
            )
        )
        self.export_png_button.setEnabled(True)
        self.export_csv_button.setEnabled(True)
        self.report_ready.emit(report)

    def _on_report_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        text = describe_error(error)
        self.chart.show_message(text)
        self.message.emit(text, True)

    # -- exports ------------------------------------------------------------------------------

    def export_png(self, path: str | Path) -> None:
        self.chart.export_png(path)

    def export_csv(self, path: str | Path) -> None:
        if self._report is None:
            raise ValueError("There is no report to export yet.")
        write_buckets_csv(
            self._report,
            Path(path),
            self.report_description(),
            self._session.fmt.currency,
        )

    def report_description(self) -> list[str]:
        """What the report covers, as exports state it: the range, the bucket, the filters."""
        if self._report is None:
            return []
        query = self._report.query
        return [
            f"Sales from {query.start.isoformat()} to {query.end.isoformat()}",
            f"Bucket: {BUCKET_NAMES[query.bucket]}",
            f"Filters: {self.filters.description()}",
        ]

    def _default_name(self, suffix: str) -> str:
        query = self.query()
        return f"sales-{query.start.isoformat()}-{query.end.isoformat()}.{suffix}"

    def _on_export_png_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export chart", self._default_name("png"), "PNG images (*.png)"
        )
        if path:
            self._export(lambda: self.export_png(path), path)

    def _on_export_csv_clicked(self) -> None:
        if self._report is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export table", self._default_name("csv"), "CSV files (*.csv)"
        )
        if path:
            self._export(lambda: self.export_csv(path), path)

    def _export(self, write: Callable[[], None], path: str) -> None:
        try:
            write()
        except OSError as error:
            self.message.emit(
                self.tr("Could not write {0}: {1}.").format(path, error.strerror), True
            )
        else:
            self.message.emit(self.tr("Saved {0}.").format(path), False)

    # -- slots --------------------------------------------------------------------------------

    def _on_date_changed(self, _day: QDate) -> None:
        self.run_query()

    def _on_bucket_changed(self, _index: int) -> None:
        self.run_query()

    def _on_filters_changed(self) -> None:
        self.run_query()

    def _on_last_30_days_clicked(self) -> None:
        self.set_range(self.today() - timedelta(days=29), self.today(), Bucket.DAILY)
        self.run_query()

    def _on_this_month_clicked(self) -> None:
        today = self.today()
        self.set_range(today.replace(day=1), today, Bucket.DAILY)
        self.run_query()

    def _on_this_year_clicked(self) -> None:
        today = self.today()
        self.set_range(date(today.year, 1, 1), today, Bucket.MONTHLY)
        self.run_query()

    def _on_last_12_months_clicked(self) -> None:
        today = self.today()
        self.set_range(months_back(today, 11), today, Bucket.MONTHLY)
        self.run_query()


def _discounts(report: SalesReport, money: Callable[[int], str]) -> str:
    """'Discounts €x of €y before them · ', or nothing when nothing was discounted."""
    if not report.discount_cents:
        return ""
    return (
        f"Discounts <b>{money(report.discount_cents)}</b> of "
        f"<b>{money(report.gross_cents)}</b> before them · "
    )
