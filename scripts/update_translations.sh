#!/bin/sh
# Bring the translation catalogs up to date with the code, then compile them.
#
# 1. collects the sentences the services raise (pos_app/ui/service_messages.py),
# 2. runs pyside6-lupdate over the UI: new texts appear in pos_app/resources/i18n/till_*.ts as
#    "unfinished", texts no longer in the code are dropped; till_en.ts holds only the texts with a
#    count ("%n line(s)"), whose English singular and plural forms are its translations,
# 3. compiles each .ts to .qm beside it (pyside6-lrelease; the .qm files are not committed).
#
# Then translate the unfinished entries (pyside6-linguist, or any editor: each is a <message>
# with <source> and an empty <translation type="unfinished">) and run this script again.
set -eu
cd "$(dirname "$0")/.."
bin=.venv/bin
"$bin/python" scripts/extract_service_messages.py
sources=$(find pos_app/ui -name '*.py' | sort)
for catalog in pos_app/resources/i18n/till_*.ts; do
    # English is the source language: its catalog holds only the texts with a count (%n), whose
    # singular and plural the source ("%n line(s)") leaves to a translation.
    only=""
    [ "${catalog##*/}" = till_en.ts ] && only=-pluralonly
    # shellcheck disable=SC2086  # one argument per source file
    "$bin/pyside6-lupdate" -silent $only -no-obsolete -locations none $sources -ts "$catalog"
    "$bin/pyside6-lrelease" -silent "$catalog"
done
"$bin/python" scripts/translation_status.py
