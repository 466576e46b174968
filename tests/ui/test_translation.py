"""The shop's language: service sentences reach the screen translated, with their values.

When a test here fails because a sentence has no translation: run
``scripts/update_translations.sh``, translate the entries it lists in
``pos_app/resources/i18n/till_de.ts`` (pyside6-linguist or any editor) and run it again.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from pos_app.services.errors import PermissionDeniedError, ValidationError
from pos_app.ui import translation
from pos_app.ui.checkout.held_dialog import RecallDialog
from pos_app.ui.errors import describe_error
from pos_app.ui.service_messages import TEMPLATES
from pos_app.ui.translation import install_translators, translate_message
from tests.ui.visible_texts import untranslated, visible_texts

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "pos_app" / "resources" / "i18n" / "till_de.ts"
WHAT_TO_DO = (
    "run scripts/update_translations.sh, translate the entries it lists in "
    "pos_app/resources/i18n/till_de.ts, and run it again"
)


def catalog_entries(context: str) -> dict[str, str | None]:
    """source -> translation (None while unfinished) of one context of the German catalog."""
    entries: dict[str, str | None] = {}
    for node in ET.parse(CATALOG).getroot().iter("context"):
        if node.findtext("name") != context:
            continue
        for message in node.iter("message"):
            found = message.find("translation")
            done = found is not None and found.get("type") not in {"unfinished", "vanished"}
            entries[message.findtext("source", "")] = (found.text or "") if done else None
    return entries


@pytest.fixture
def german(qapp: QApplication, tmp_path: Path) -> Iterator[Path]:
    """The German catalog installed for one test, then removed again."""
    installed = install_translators(qapp, "de_DE", tmp_path)
    yield tmp_path
    for translator in installed:
        qapp.removeTranslator(translator)
    install_translators(qapp, "en_US", tmp_path)


def test_the_list_of_service_sentences_is_up_to_date() -> None:
    script = ROOT / "scripts" / "extract_service_messages.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{done.stdout.strip()} ({WHAT_TO_DO})"


def test_every_service_sentence_has_a_german_translation_with_the_same_places() -> None:
    entries = catalog_entries(translation.CONTEXT)
    missing = [text for text in TEMPLATES if entries.get(text) is None]
    assert not missing, f"{len(missing)} sentences without German, e.g. {missing[:3]}: {WHAT_TO_DO}"
    places = re.compile(r"\{\d+\}")
    for text in TEMPLATES:
        german = entries[text] or ""
        assert sorted(places.findall(german)) == sorted(places.findall(text)), text


def test_a_german_till_shows_service_sentences_in_german_with_their_values(
    german: Path,
) -> None:
    english = "Only €5.00 can go back to the card; refund the rest in cash."
    assert translate_message(english) == (
        "Nur €5.00 können auf die Karte zurück; erstatten Sie den Rest bar."
    )
    error = ValidationError("The payments add up to 4.99 but the sale is 5.00.")
    assert describe_error(error) == "Die Zahlungen ergeben 4,99, der Verkauf beträgt aber 5,00."
    too_many = ValidationError("The quantity must be from 1 to 999,999.")
    assert describe_error(too_many) == "Die Menge muss zwischen 1 und 999.999 liegen."
    assert describe_error(PermissionDeniedError("No such user.")) == "Dieses Konto gibt es nicht."
    assert list((german / "i18n").glob("till_de-*.qm")) or CATALOG.with_suffix(".qm").is_file()


def test_a_sentence_no_template_knows_is_shown_as_it_is(german: Path) -> None:
    assert translate_message("Something nobody wrote down.") == "Something nobody wrote down."


def test_an_english_till_keeps_the_services_sentences(qapp: QApplication, tmp_path: Path) -> None:
    [plurals] = install_translators(qapp, "en_US", tmp_path)  # Till's English plurals only
    assert plurals.language() == "en_US"
    assert translate_message("No such user.") == "No such user."


ENGLISH = CATALOG.with_name("till_en.ts")


def numerus_messages(catalog: Path) -> dict[tuple[str, str], list[str]]:
    """(context, source) -> the finished forms of each text with a count in ``catalog``."""
    found: dict[tuple[str, str], list[str]] = {}
    for node in ET.parse(catalog).getroot().iter("context"):
        for message in node.iter("message"):
            if message.get("numerus") != "yes":
                continue
            translation = message.find("translation")
            done = translation is not None and translation.get("type") is None
            forms = [f.text or "" for f in translation.iter("numerusform")] if done else []
            key = (node.findtext("name", ""), message.findtext("source", ""))
            found[key] = forms
    return found


def test_every_text_with_a_count_has_a_singular_and_a_plural_in_english_and_german() -> None:
    english, german = numerus_messages(ENGLISH), numerus_messages(CATALOG)
    assert english, "no texts with a count in till_en.ts"
    assert english.keys() == german.keys(), WHAT_TO_DO
    for catalog in (english, german):
        for (context, source), forms in catalog.items():
            assert len(forms) == 2, f"[{context}] {source}: {forms} ({WHAT_TO_DO})"
            for form in forms:
                assert re.search(r"%L?n", form) and "(s)" not in form, form
                assert re.findall(r"\{\d\}", form) == re.findall(r"\{\d\}", source), form


def test_no_text_counts_with_an_s_in_brackets() -> None:
    """'1 held sale(s)': a text with a count says it with Qt's plural forms (``%n``) instead."""
    bracketed = [
        source
        for node in ET.parse(CATALOG).getroot().iter("context")
        for message in node.iter("message")
        if "(s)" in (source := message.findtext("source", "")) and message.get("numerus") != "yes"
    ]
    assert bracketed == []
    assert [text for text in TEMPLATES if "(s)" in text] == []


@pytest.mark.parametrize(
    ("locale", "one", "two"),
    [
        ("en_US", "1 held sale, oldest first.", "2 held sales, oldest first."),
        ("de_DE", "1 geparkter Verkauf, älteste zuerst.", "2 geparkte Verkäufe, älteste zuerst."),
    ],
)
def test_a_count_reads_in_the_singular_or_the_plural_of_the_shops_language(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, locale: str, one: str, two: str
) -> None:
    install_translators(qapp, locale, tmp_path)
    try:
        assert RecallDialog.tr("%Ln held sale(s), oldest first.", "", 1) == one
        assert RecallDialog.tr("%Ln held sale(s), oldest first.", "", 2) == two
    finally:
        install_translators(qapp, "en_US", tmp_path)


def test_the_widget_walk_finds_english_left_on_a_screen(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.setWindowTitle("Payment")
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel("Dieses Konto gibt es nicht."))
    layout.addWidget(QLabel("€12.50 · 3"))
    layout.addWidget(QPushButton("Cola 330 ml"))
    field = QLineEdit()
    field.setPlaceholderText("Scan a barcode")
    layout.addWidget(field)
    texts = list(visible_texts(window))
    assert untranslated(texts, data=["Cola 330 ml"]) == [
        ("QWidget", "Payment"),
        ("QLineEdit", "Scan a barcode"),
    ]
