"""The email's own words in the newsletter's language (``newsletter.language``).

The templates write English and mark the words of their own with ``_()`` (Jinja's i18n
extension); ``digest/locale/<language>.po`` holds the translations (German, French and
Spanish ship), read with Babel when a renderer is made. Region and topic names are
translated the same way when they are section names; a kicker that is a country's English
name becomes that country's name in the language, from Babel's CLDR data ("Serbia" →
"Serbien"). Anything else — headlines, teasers, section names an editor chose — is shown
as written. A language without a catalog keeps the English words, with its dates.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from digest.compose.gazetteer import COUNTRY_NAMES, REGIONS
from digest.config import DEFAULT_TOPICS

LOCALE_DIR = Path(__file__).parent / "locale"
SECTION_WORDS = frozenset((*REGIONS, *DEFAULT_TOPICS))  # the section names it translates
_CODE_OF = {name: code for code, name in COUNTRY_NAMES.items() if len(code) == 2}


def languages() -> list[str]:
    """The languages with a catalog (besides English)."""
    return sorted(p.stem for p in LOCALE_DIR.glob("*.po"))


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog for ``language`` ("de", "de_AT", "fr-CA" …: its first part), or the
    English words when there is none."""
    base = language.replace("-", "_").split("_")[0].lower()
    path = LOCALE_DIR / f"{base}.po"
    if not base or base == "en" or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as f:
        catalog = read_po(f, locale=base)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo)


def section_name(name: str, language: str) -> str:
    """A region's or topic's name in ``language``; any other section name as written."""
    return translations(language).gettext(name) if name in SECTION_WORDS else name


def country_name(name: str, locale: Locale) -> str:
    """A country's English name (a kicker) in the locale's language; anything else as is."""
    code = _CODE_OF.get(name)
    if code is None or locale.language == "en":
        return name
    return str(locale.territories.get(code, name))
