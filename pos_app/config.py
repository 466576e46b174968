"""Settings from the environment, a ``.env`` file or the settings file ``till.toml``.

The environment wins over ``.env``, which wins over ``till.toml`` (in the user's configuration
folder), which wins over the defaults. Every setting has a sane default so that a fresh install
runs on an embedded SQLite file in the user's data folder. A bad setting raises
:class:`ConfigError` with one sentence naming it.
"""

from __future__ import annotations

import os
import secrets
import socket
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from pos_app.domain.device_address import check_display_url, check_printer_url
from pos_app.domain.errors import ValidationError
from pos_app.domain.money import DEFAULT_LOCALE, checked_locale
from pos_app.domain.scale_labels import DEFAULT_LAYOUT, LabelLayout, parse_layout
from pos_app.domain.shop_format import ShopFormat

APP_DIR_NAME = "till"
JWT_SECRET_FILE = "jwt_secret"
DATABASE_FILE = "till.sqlite3"
SETTINGS_FILE = "till.toml"
PRIVATE_DIR = 0o700
PREFIX = "POS_"
DEFAULT_FONT_SIZE = 11  # points; every screen is tested to fit 1024x768 at 11 and 12
MIN_FONT_SIZE, MAX_FONT_SIZE = 8, 16
# What till.toml may set: the settings below, named without the prefix in lower case.
FILE_SETTINGS = frozenset(
    {
        "database_url", "data_dir", "timezone", "currency", "till_id", "idle_lock_minutes",
        "low_stock_threshold", "shop_name", "shop_address", "default_tax_bp", "fullscreen",
        "font_size", "locale", "receipt_printer", "printer_columns", "receipt_header",
        "receipt_footer", "receipt_logo", "receipt_code", "printer_cut", "customer_display",
        "pole_display", "scale_label_layout", "cashier_discount_limit_bp",
        "manager_discount_limit_bp",
    }
)  # fmt: skip


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the setting."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    timezone: ZoneInfo
    currency: str
    till_id: str
    idle_lock_minutes: int
    low_stock_threshold: int
    shop_name: str
    shop_address: str
    default_tax_bp: int
    fullscreen: bool = False
    font_size: int = DEFAULT_FONT_SIZE
    locale: str = DEFAULT_LOCALE
    receipt_printer: str = "system"
    printer_columns: int = 42
    receipt_header: str = ""
    receipt_footer: str = "Thank you!"
    receipt_logo: Path | None = None
    customer_display: bool = False
    pole_display: str = ""
    receipt_code: str = "code128"
    printer_cut: str = "partial"
    scale_label_layout: LabelLayout = field(default_factory=lambda: parse_layout(DEFAULT_LAYOUT))
    # How much of a line or cart a cashier (a manager) may take off without someone above.
    cashier_discount_limit_bp: int = 1000
    manager_discount_limit_bp: int = 5000

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def shop_format(self) -> ShopFormat:
        """How this shop writes money and dates (its locale and currency)."""
        return ShopFormat(self.locale, self.currency)


def default_data_dir() -> Path:
    """The operating system's place for an application's data (``~/.local/share/till`` on
    Linux, ``~/Library/Application Support/till`` on macOS, ``%LOCALAPPDATA%\\till`` on Windows)."""
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def default_settings_file() -> Path:
    """``till.toml`` in the operating system's place for an application's configuration."""
    return Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False)) / SETTINGS_FILE


def machine_timezone_name(env: Mapping[str, str]) -> str:
    """The IANA name of the machine's zone (also on Windows), or UTC when it cannot be told."""
    if env.get("TZ"):
        return env["TZ"].lstrip(":")
    import tzlocal

    try:
        return tzlocal.get_localzone_name() or "UTC"
    except (LookupError, OSError, ValueError):
        return "UTC"


def parse_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"POS_TIMEZONE: '{name}' is not a known time zone (use an IANA name such as "
            "'Europe/Berlin')."
        ) from exc


def parse_database_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"POS_DATABASE_URL: '{url}' is not a database URL (expected e.g. "
            "'sqlite:///path/to/till.sqlite3' or 'mysql+pymysql://user:pass@host/db')."
        ) from exc
    if parsed.get_backend_name() not in {"sqlite", "mysql", "mariadb"}:
        raise ConfigError(
            f"POS_DATABASE_URL: the '{parsed.get_backend_name()}' database is not supported; "
            "use SQLite or MySQL/MariaDB."
        )
    if parsed.get_backend_name() in {"mysql", "mariadb"} and not parsed.database:
        raise ConfigError("POS_DATABASE_URL: the URL names no database (add '/dbname').")
    return url


def parse_positive_int(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: '{raw}' is not a whole number.") from exc
    if value < 0:
        raise ConfigError(f"{name}: must not be negative.")
    return value


def parse_tax_bp(raw: str) -> int:
    value = parse_positive_int("POS_DEFAULT_TAX_BP", raw)
    if value > 10_000:
        raise ConfigError("POS_DEFAULT_TAX_BP: basis points, at most 10000 (100 %).")
    return value


def parse_scale_label_layout(raw: str) -> LabelLayout:
    try:
        return parse_layout(raw)
    except ValidationError as exc:
        raise ConfigError(f"POS_SCALE_LABEL_LAYOUT: {exc.message}") from exc


def parse_font_size(raw: str) -> int:
    value = parse_positive_int("POS_FONT_SIZE", raw)
    if not MIN_FONT_SIZE <= value <= MAX_FONT_SIZE:
        raise ConfigError(
            f"POS_FONT_SIZE: points from {MIN_FONT_SIZE} to {MAX_FONT_SIZE} (the default is "
            f"{DEFAULT_FONT_SIZE})."
        )
    return value


def parse_flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"", "0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}: '{raw}' is neither 1 (on) nor 0 (off).")


def parse_discount_limit(name: str, raw: str) -> int:
    value = parse_positive_int(name, raw)
    if value > 10_000:
        raise ConfigError(f"{name}: basis points, at most 10000 (100 %).")
    return value


def parse_currency(raw: str) -> str:
    code = raw.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ConfigError(f"POS_CURRENCY: '{raw}' is not a three-letter currency code.")
    return code


def machine_locale_name(env: Mapping[str, str]) -> str:
    """The locale the machine is set to (``LC_ALL``, ``LC_MONETARY``, ``LANG``), without its
    encoding; en_US when it names none Babel knows (``C``, ``POSIX``)."""
    for key in ("LC_ALL", "LC_MONETARY", "LANG"):
        name = env.get(key, "").split(".")[0].split("@")[0]
        if name and name not in {"C", "POSIX"}:
            try:
                return checked_locale(name)
            except ValueError:
                continue
    return DEFAULT_LOCALE


def parse_locale(raw: str) -> str:
    try:
        return checked_locale(raw.strip())
    except ValueError as exc:
        raise ConfigError(f"POS_LOCALE: {exc}") from exc


def settings_file_values(path: Path) -> dict[str, str]:
    """The settings of a ``till.toml`` as ``POS_*`` names; nothing if there is no such file."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the settings file ({exc.strerror}).") from exc
    import tomllib  # only a shop with a settings file pays for the TOML parser (its regexes)

    try:
        with handle:
            table = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the settings file ({exc.strerror}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: the settings file is not valid TOML ({exc}).") from exc
    values: dict[str, str] = {}
    for key, value in table.items():
        if key not in FILE_SETTINGS:
            known = ", ".join(sorted(FILE_SETTINGS))
            raise ConfigError(f"{path}: '{key}' is not a setting (known: {known}).")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ConfigError(f"{path}: '{key}' must be a text or a whole number.")
        values[PREFIX + key.upper()] = str(value)
    return values


def merged_environment(
    env: Mapping[str, str] | None = None, dotenv_path: Path | None = None
) -> dict[str, str]:
    """The process environment over a ``.env`` file over ``till.toml`` (the environment wins)."""
    source = dict(os.environ if env is None else env)
    path = dotenv_path or Path(source.get("POS_DOTENV", ".env"))
    settings_file = Path(source.get("POS_SETTINGS_FILE") or default_settings_file())
    merged = settings_file_values(settings_file)
    if path.is_file():
        from dotenv import dotenv_values  # only where there is a .env: every command starts faster

        merged.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    merged.update(source)
    return merged


def load_settings(
    env: Mapping[str, str] | None = None, dotenv_path: Path | None = None
) -> Settings:
    values = merged_environment(env, dotenv_path)
    data_dir = Path(values.get("POS_DATA_DIR") or default_data_dir()).expanduser()
    database_url = values.get("POS_DATABASE_URL") or f"sqlite:///{data_dir / DATABASE_FILE}"
    return Settings(
        database_url=parse_database_url(database_url),
        data_dir=data_dir,
        timezone=parse_timezone(values.get("POS_TIMEZONE") or machine_timezone_name(values)),
        currency=parse_currency(values.get("POS_CURRENCY", "EUR")),
        till_id=(values.get("POS_TILL_ID") or socket.gethostname())[:64],
        idle_lock_minutes=parse_positive_int(
            "POS_IDLE_LOCK_MINUTES", values.get("POS_IDLE_LOCK_MINUTES", "10")
        ),
        low_stock_threshold=parse_positive_int(
            "POS_LOW_STOCK_THRESHOLD", values.get("POS_LOW_STOCK_THRESHOLD", "10")
        ),
        shop_name=values.get("POS_SHOP_NAME", "Till Corner Shop"),
        shop_address=values.get("POS_SHOP_ADDRESS", "1 Market Street"),
        default_tax_bp=parse_tax_bp(values.get("POS_DEFAULT_TAX_BP", "0")),
        scale_label_layout=parse_scale_label_layout(
            values.get("POS_SCALE_LABEL_LAYOUT") or DEFAULT_LAYOUT
        ),
        fullscreen=parse_flag("POS_FULLSCREEN", values.get("POS_FULLSCREEN", "0")),
        font_size=parse_font_size(values.get("POS_FONT_SIZE", str(DEFAULT_FONT_SIZE))),
        locale=parse_locale(values.get("POS_LOCALE") or machine_locale_name(values)),
        cashier_discount_limit_bp=parse_discount_limit(
            "POS_CASHIER_DISCOUNT_LIMIT_BP", values.get("POS_CASHIER_DISCOUNT_LIMIT_BP", "1000")
        ),
        manager_discount_limit_bp=parse_discount_limit(
            "POS_MANAGER_DISCOUNT_LIMIT_BP", values.get("POS_MANAGER_DISCOUNT_LIMIT_BP", "5000")
        ),
        **hardware_settings(values),
    )


PRINTER_COLUMNS = (32, 42, 48)


def parse_printer_columns(raw: str) -> int:
    value = parse_positive_int("POS_PRINTER_COLUMNS", raw)
    if value not in PRINTER_COLUMNS:
        raise ConfigError(
            "POS_PRINTER_COLUMNS: use 42 or 48 for an 80 mm roll, 32 for a 58 mm roll."
        )
    return value


class HardwareSettings(TypedDict):
    receipt_printer: str
    printer_columns: int
    receipt_header: str
    receipt_footer: str
    receipt_logo: Path | None
    customer_display: bool
    pole_display: str
    receipt_code: str
    printer_cut: str


def parse_choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    value = raw.strip().lower()
    if value not in choices:
        raise ConfigError(f"{name}: '{raw}' is not one of {', '.join(choices)}.")
    return value


def hardware_settings(values: Mapping[str, str]) -> HardwareSettings:
    """The receipt printer, its paper width, the texts around a receipt and the displays."""
    printer = values.get("POS_RECEIPT_PRINTER", "system").strip() or "system"
    pole = values.get("POS_POLE_DISPLAY", "").strip()
    try:
        check_printer_url(printer)
    except ValueError as exc:
        raise ConfigError(f"POS_RECEIPT_PRINTER: {exc}") from exc
    try:
        if pole:
            check_display_url(pole)
    except ValueError as exc:
        raise ConfigError(f"POS_POLE_DISPLAY: {exc}") from exc
    logo = values.get("POS_RECEIPT_LOGO", "").strip()
    return HardwareSettings(
        receipt_printer=printer,
        printer_columns=parse_printer_columns(values.get("POS_PRINTER_COLUMNS", "42")),
        receipt_header=values.get("POS_RECEIPT_HEADER", ""),
        receipt_footer=values.get("POS_RECEIPT_FOOTER", "Thank you!"),
        receipt_logo=Path(logo) if logo else None,
        customer_display=parse_flag(
            "POS_CUSTOMER_DISPLAY", values.get("POS_CUSTOMER_DISPLAY", "0")
        ),
        pole_display=pole,
        receipt_code=parse_choice(
            "POS_RECEIPT_CODE", values.get("POS_RECEIPT_CODE", "code128"), ("code128", "qr")
        ),
        printer_cut=parse_choice(
            "POS_PRINTER_CUT", values.get("POS_PRINTER_CUT", "partial"), ("partial", "full")
        ),
    )


def ensure_data_dir(settings: Settings) -> Path:
    """The data folder, made (or tightened) readable by its owner only: it holds the database,
    the session secret and the log."""
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        if stat.S_IMODE(settings.data_dir.stat().st_mode) & 0o077:
            settings.data_dir.chmod(PRIVATE_DIR)  # mkdir's mode is cut by the umask
    except OSError as exc:
        raise ConfigError(
            f"POS_DATA_DIR: cannot create '{settings.data_dir}' ({exc.strerror})."
        ) from exc
    return settings.data_dir


def jwt_secret(settings: Settings) -> str:
    """The installation's signing secret, generated on first use and readable by its owner only."""
    path = ensure_data_dir(settings) / JWT_SECRET_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret)
    return secret
