"""The shop's language: Qt translators for ``POS_LOCALE`` and service sentences translated.

Screens mark their texts with ``self.tr(...)`` or ``QCoreApplication.translate(...)``; a text
with a count is ``self.tr("%Ln line(s)", "", count)`` (or ``SomeClass.tr`` outside a method of a
QObject), whose singular and plural each catalog gives, English ones too (``till_en.ts``). The
catalogs are Qt ``.ts`` files in ``pos_app/resources/i18n`` (``till_de.ts``), compiled to ``.qm``
by ``pyside6-lrelease``: by ``scripts/update_translations.sh`` for a checkout, or on first use
into the data folder (``i18n/``) when an installation has no compiled catalog beside the source.

Services raise English sentences and know nothing of Qt. :func:`translate_message` maps such a
sentence to the shop's language at the screen: the sentence is matched against the templates in
:mod:`pos_app.ui.service_messages` (an f-string's values become ``{0}``, ``{1}``...), the
template is translated under the ``ServiceMessage`` context and the values are put back.
"""

from __future__ import annotations

import hashlib
import logging
import re
import subprocess
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from pos_app.domain.shop_format import ShopFormat
from pos_app.services.roles import Role

log = logging.getLogger("pos_app")

I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
CATALOG = "till_{language}"
CONTEXT = "ServiceMessage"
_PLACE = re.compile(r"\{(\d+)\}")
# Grouped thousands and/or a decimal point: '1,000', '999,999', '4.99', '12,345.5'.
_ENGLISH_NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+\.\d+")


# The shop's locale for numbers in texts built where no session is at hand (progress bars,
# counts of a list); set with the translators.
_numbers = ShopFormat()
# The translators install_translators put in, taken out again when it is called once more.
_installed: list[QTranslator] = []


def number(value: int) -> str:
    """A count in the shop's locale: '12,345' (en_US), '12.345' (de_DE)."""
    return _numbers.number(value)


def decimal(value: float, places: int = 1) -> str:
    """A number with ``places`` decimals in the shop's locale: '2.5' (en_US), '2,5' (de_DE)."""
    return _numbers.decimal(value, places)


def day_entry_format() -> str:
    """The shop locale's short date with the whole year, for a field where a day is typed:
    '12/5/2026' (en_US), '05.12.2026' (de_DE), as the dates shown beside it read."""
    short = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return short if "yyyy" in short else short.replace("yy", "yyyy")


def weight_text(grams: int) -> str:
    """Grams as kilograms in the shop's locale: '1.250 kg' (en_US), '1,250 kg' (de_DE)."""
    return _numbers.weight(grams)


def quantity_text(quantity: int, sold_by: str) -> str:
    """Pieces ('1,200') or the weight of a weighed product ('0.455 kg'), in the shop's locale."""
    return _numbers.quantity(quantity, sold_by)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks a text kept in a constant for ``pyside6-lupdate``; :func:`translated` shows it."""
    return text


def translated(context: str, text: str) -> str:
    """A text marked with :func:`QT_TRANSLATE_NOOP` in the shop's language."""
    return QCoreApplication.translate(context, text)


ROLE_LABELS = (
    QT_TRANSLATE_NOOP("Role", "Cashier"),
    QT_TRANSLATE_NOOP("Role", "Manager"),
    QT_TRANSLATE_NOOP("Role", "Owner"),
)


def role_label(role: Role) -> str:
    """'Cashier', 'Kasse': a role as the shop's language names it."""
    return translated("Role", role.label)


def language_of(locale: str) -> str:
    """'de_DE' -> 'de'."""
    return locale.replace("-", "_").split("_")[0].lower()


def catalog_source(language: str) -> Path:
    return I18N_DIR / f"{CATALOG.format(language=language)}.ts"


def compiled_catalog(language: str, data_dir: Path) -> Path | None:
    """The ``.qm`` for ``language``: beside the source when built, else compiled once into
    ``data_dir/i18n`` (named after the source's hash, so an update compiles again)."""
    source = catalog_source(language)
    if not source.is_file():
        return None
    built = source.with_suffix(".qm")
    if built.is_file() and built.stat().st_mtime >= source.stat().st_mtime:
        return built
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    target = data_dir / "i18n" / f"{source.stem}-{digest}.qm"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [str(lrelease_path()), "-silent", str(source), "-qm", str(target)],
            check=True,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("cannot compile %s: %s", source.name, exc)
        return None
    return target


def lrelease_path() -> Path:
    import PySide6

    return Path(PySide6.__file__).resolve().parent / "lrelease"


def install_translators(app: QCoreApplication, locale: str, data_dir: Path) -> list[QTranslator]:
    """Load Qt's own and Till's catalog for the locale's language, in place of those loaded
    before. English, the language of the source, loads only Till's singular and plural forms
    of the texts with a count ("%n line(s)" reads "1 line", "2 lines").

    The translators are children of ``app``, which keeps them as long as it lives.
    """
    global _numbers
    QLocale.setDefault(QLocale(locale))
    _numbers = ShopFormat(locale)
    language = language_of(locale)
    while _installed:
        app.removeTranslator(_installed.pop())
    installed: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = QTranslator(app)
    if language != "en" and qt_own.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_own)
        installed.append(qt_own)
    compiled = compiled_catalog(language, data_dir)
    till = QTranslator(app)
    if compiled is not None and till.load(str(compiled)):
        app.installTranslator(till)
        installed.append(till)
    else:
        log.warning("no translation for %s; the screens stay in English", locale)
    _patterns.cache_clear()
    _installed.extend(installed)
    return installed


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    from pos_app.ui.service_messages import TEMPLATES

    built = []
    for template in TEMPLATES:
        literal = template.replace("{{", "{").replace("}}", "}")
        parts = _PLACE.split(template)
        regex = "".join(
            re.escape(part.replace("{{", "{").replace("}}", "}"))
            if index % 2 == 0
            else f"(?P<v{part}>.+?)"
            for index, part in enumerate(parts)
        )
        built.append((re.compile(regex, re.DOTALL), template, len(literal)))
    # The longest fixed text first: the most specific template wins.
    built.sort(key=lambda entry: -(len(entry[1]) - 3 * len(_PLACE.findall(entry[1]))))
    return tuple((pattern, template) for pattern, template, _size in built)


def localized_number(value: str) -> str:
    """A bare number a service wrote the English way ('1,000,000', '4.99') in the shop's
    locale ('1.000.000', '4,99'); any other value (money with its symbol, a weight with its
    unit, a name) as it is."""
    if _ENGLISH_NUMBER.fullmatch(value) is None:
        return value
    whole, _dot, fraction = value.replace(",", "").partition(".")
    return _numbers.decimal(Decimal(f"{whole}.{fraction or 0}"), len(fraction))


def translate_message(message: str) -> str:
    """A service's English sentence in the shop's language (unchanged when not translated)."""
    for pattern, template in _patterns():
        match = pattern.fullmatch(message)
        if match is None:
            continue
        translated = QCoreApplication.translate(CONTEXT, template)
        if translated == template:
            return message
        values = {
            int(name[1:]): localized_number(value) for name, value in match.groupdict().items()
        }
        try:
            return translated.format(*(values[index] for index in sorted(values)))
        except (IndexError, KeyError, ValueError):
            log.warning("translation of %r does not fit its values", template)
            return message
    return message


__all__ = [
    "QT_TRANSLATE_NOOP",
    "day_entry_format",
    "decimal",
    "install_translators",
    "language_of",
    "number",
    "quantity_text",
    "role_label",
    "translate_message",
    "translated",
    "weight_text",
]
