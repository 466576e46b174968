"""How complete each translation catalog is; lists what still needs a translation.

Exit status 0 always: this informs, the test ``tests/ui/test_translations.py`` enforces.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

CATALOGS = Path(__file__).resolve().parent.parent / "pos_app" / "resources" / "i18n"
SHOWN = 20


def unfinished(catalog: Path) -> list[tuple[str, str]]:
    """(context, source) of each message without a finished translation."""
    missing = []
    for context in ET.parse(catalog).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in {"unfinished", "vanished"}:
                if translation is not None and translation.get("type") == "vanished":
                    continue
                missing.append((name, message.findtext("source", "")))
    return missing


def main() -> int:
    for catalog in sorted(CATALOGS.glob("till_*.ts")):
        missing = unfinished(catalog)
        print(f"{catalog.name}: {len(missing)} texts without a translation")
        for context, source in missing[:SHOWN]:
            print(f"  [{context}] {source}")
        if len(missing) > SHOWN:
            print(f"  ... and {len(missing) - SHOWN} more (open the file in pyside6-linguist)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
