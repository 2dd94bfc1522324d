"""Finding one person's names and contacts in free text, to blank them when they are erased.

A word of their names is matched the way the desk's search matches it (visitors.search_keys):
by its skeleton, so Коваленко, Kovalenko, KOVALENKO and Kowalenko are one word, and with the
endings a name takes in a Ukrainian, Russian, Lithuanian or English sentence (Коваленка,
Олені, Kovalenkos, Olena's). A phone number matches on its last digits however it is spaced,
an email address whole and in any case. Each mention becomes ERASED.

Two strengths, for two kinds of record:
- `redact`: a record the person shares with others (a group session they were in, a message
  to an event they registered for): every word of their names goes.
- `redact_full_names`: any other record: a full name (two of their name words side by side,
  in either order), a phone number or an email address goes; a first name alone stays, as it
  is as likely to be someone else's.
"""

# Cyrillic letters and apostrophes are the point of the tables below.
# ruff: noqa: RUF001

import re
import unicodedata
from collections.abc import Iterable

from anyascii import anyascii
from django.db.models import Q

from visitors.search_keys import PHONE_KEY_DIGITS, phone_digits, readings

ERASED = "[erased]"

# Not a name on their own (and often a word of a note): al-, bin, van, de ...
_PARTICLES = {"al", "el", "ul", "ad", "as", "bin", "ibn", "ben", "bint", "abu", "um", "umm"}
_PARTICLES |= {"de", "da", "di", "du", "la", "le", "van", "von", "der", "den", "ter", "te"}
# Endings (as skeletons) a name takes in a sentence: after a name that ends in a consonant
# (Ivan -> Ivana, Іванові, Ivanui) and in place of a final vowel (Olena -> Олені, Оленою,
# Olenos; Андрій -> Андрія). "Romania" is not Roman with an ending: "ia" replaces vowels only.
_AFTER_CONSONANT = {"a", "e", "i", "o", "u", "s", "am", "om", "em", "im", "oi", "ei", "ai"}
_AFTER_CONSONANT |= {"ui", "os", "as", "es", "is", "us", "ovi", "evi", "ou"}
_FOR_VOWEL = _AFTER_CONSONANT | {"ia", "iu", "ie", "oiu", "eiu"}
_VOWELS = "aeiou"
# A name's skeleton this long or longer takes endings; shorter ones match only whole.
_INFLECTED_MIN = 4

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
# What may stand between the words of one full name: "Olena Kovalenko", "Kovalenko, Olena".
_NAME_GAP = re.compile(r"[\s,]{1,3}")

# Spellings of a name in the other script, for finding candidate rows in the database (which
# cannot fold scripts): Ukrainian and Russian readings of a Latin spelling, and the Latin
# readings (Ukrainian national, Lithuanian) of a Cyrillic one besides anyascii's.
# Longest first: each list is tried in order.
_DIGRAPHS = [
    ("shch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
]
_LATIN_TO_UKRAINIAN = [
    *_DIGRAPHS,
    ("iu", "ю"),
    ("ya", "я"),
    ("ia", "я"),
    ("ye", "є"),
    ("ie", "є"),
    ("yi", "ї"),
    ("ii", "ій"),
    ("iy", "ій"),
    ("h", "г"),
    ("g", "г"),
    ("i", "і"),
    ("y", "и"),
    ("j", "й"),
]
_LATIN_TO_RUSSIAN = [
    *_DIGRAPHS,
    ("ya", "я"),
    ("ye", "е"),
    ("yo", "ё"),
    ("iy", "ий"),
    ("ii", "ий"),
    ("h", "х"),
    ("g", "г"),
    ("i", "и"),
    ("y", "ы"),
    ("j", "й"),
]
_LATIN_COMMON = {
    "a": "а",
    "b": "б",
    "c": "ц",
    "d": "д",
    "e": "е",
    "f": "ф",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "v": "в",
    "w": "в",
    "x": "кс",
    "z": "з",
    "č": "ч",
    "š": "ш",
    "ž": "ж",
}
_CYRILLIC_TO_UKRAINIAN_LATIN = str.maketrans(
    {"г": "h", "и": "y", "і": "i", "ї": "yi", "є": "ye", "й": "y", "х": "kh", "ь": "", "'": ""}
)
_CYRILLIC_TO_LITHUANIAN = str.maketrans(
    {"г": "h", "и": "y", "й": "j", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč"}
    | {"ж": "ž", "ю": "ju", "я": "ja", "є": "je", "ї": "ji", "ь": "", "'": ""}
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _to_cyrillic(word: str, table) -> str:
    out, rest = [], word.lower()
    while rest:
        for latin, cyrillic in table:
            if rest.startswith(latin):
                out.append(cyrillic)
                rest = rest[len(latin) :]
                break
        else:
            out.append(_LATIN_COMMON.get(rest[0], rest[0]))
            rest = rest[1:]
    return "".join(out)


def _spellings(word: str) -> set[str]:
    """`word` as it may be written in either script (lower case), for the database's search."""
    word = word.lower()
    if _CYRILLIC.search(word):
        latin = {
            anyascii(word),
            anyascii(word.translate(_CYRILLIC_TO_UKRAINIAN_LATIN)),
            "".join(
                anyascii(letter) if _CYRILLIC.match(letter) else letter
                for letter in word.translate(_CYRILLIC_TO_LITHUANIAN)
            ),
        }
        return {word, *latin}
    cyrillic = {_to_cyrillic(word, _LATIN_TO_UKRAINIAN), _to_cyrillic(word, _LATIN_TO_RUSSIAN)}
    latin = {anyascii(spelling) for spelling in cyrillic}
    return {word, anyascii(word), *cyrillic, *latin}


def _stem(spelling: str) -> str:
    """The part of a spelling that every case of the name keeps (Олен- of Олена, Олені)."""
    return spelling[: max(_INFLECTED_MIN, len(spelling) - 2)]


class Mentions:
    """The names, phone numbers and email addresses of one person, to find in free text."""

    def __init__(self, *, names: Iterable[str] = (), phones=(), emails=()):
        self.keys: set[str] = set()  # name words as skeletons
        self.words: set[str] = set()  # name words as written
        self.phones: set[str] = set()  # last digits
        self.emails: set[str] = set()
        self.add(names=names, phones=phones, emails=emails)

    def add(self, *, names: Iterable[str] = (), phones=(), emails=()) -> None:
        for name in names:
            for word in _WORD.findall(unicodedata.normalize("NFC", name or "")):
                keys = {k for k in readings(word) if len(k) >= 2 and k not in _PARTICLES}
                if keys:
                    self.keys |= keys
                    self.words.add(word)
        for phone in phones:
            digits = phone_digits(phone)
            if len(digits) >= PHONE_KEY_DIGITS:
                self.phones.add(digits[-PHONE_KEY_DIGITS:])
        self.emails |= {email.strip().lower() for email in emails if email and email.strip()}

    def __bool__(self) -> bool:
        return bool(self.keys or self.phones or self.emails)

    # --- In the text ---------------------------------------------------------------------

    def has_phone(self, text: str) -> bool:
        digits = phone_digits(text)
        return len(digits) >= PHONE_KEY_DIGITS and digits[-PHONE_KEY_DIGITS:] in self.phones

    def _name_of(self, word: str) -> set[str]:
        """The words of their names that `word` is (with an ending), as skeletons."""
        found = set()
        for key in readings(word):
            for name in self.keys:
                if key == name or (len(name) >= _INFLECTED_MIN and _inflected(key, name)):
                    found.add(name)
        return found

    def _contacts_redacted(self, text: str) -> str:
        text = _EMAIL.sub(lambda m: ERASED if m.group().lower() in self.emails else m.group(), text)
        return _PHONE.sub(lambda m: ERASED if self.has_phone(m.group()) else m.group(), text)

    def _names_redacted(self, text: str, *, full_names_only: bool) -> str:
        runs, run, end = [], None, None
        for match in _WORD.finditer(text):
            names = self._name_of(match.group())
            if not names:
                run = None
                continue
            if run is not None and _NAME_GAP.fullmatch(text, end, match.start()):
                run[1] = match.end()
                run[2] |= names
            else:
                run = [match.start(), match.end(), set(names)]
                runs.append(run)
            end = match.end()
        for start, stop, names in reversed(runs):
            if full_names_only and (len(names) < 2 or len(_WORD.findall(text, start, stop)) < 2):
                continue
            text = text[:start] + ERASED + text[stop:]
        return text

    def _redact(self, text: str, *, full_names_only: bool) -> str:
        if not text or not self:
            return text
        normal = unicodedata.normalize("NFC", text)
        redacted = self._names_redacted(
            self._contacts_redacted(normal), full_names_only=full_names_only
        )
        return text if redacted == normal else redacted

    def redact(self, text: str) -> str:
        """`text` with every word of their names and their contacts replaced by ERASED."""
        return self._redact(text, full_names_only=False)

    def redact_full_names(self, text: str) -> str:
        """`text` with their full names and their contacts replaced by ERASED."""
        return self._redact(text, full_names_only=True)

    # --- In the database ---------------------------------------------------------------

    def _pattern(self) -> str:
        """A regular expression (Python's and PostgreSQL's alike) matching any text that may
        mention them: a stem of any spelling of a name word, an address, a phone's digits."""
        parts = set()
        for word in self.words:
            parts |= {re.escape(_stem(spelling)) for spelling in _spellings(word) if spelling}
        parts |= {re.escape(email) for email in self.emails}
        parts |= {"[^0-9]{0,3}".join(digits) for digits in self.phones}
        return "|".join(sorted(parts))

    def lookup(self, *fields: str) -> Q:
        """Rows in which any of `fields` may mention them, for `redact_records` to decide:
        a stem of their names as written, or in the usual Ukrainian, Russian and Lithuanian
        transliterations (a rarer spelling is found where every row is read: shared ones)."""
        pattern = self._pattern()
        query = Q(pk__in=[])
        if pattern:
            for field in fields:
                query |= Q(**{f"{field}__iregex": pattern})
        return query

    def redact_records(self, records, fields: list[str], *, shared: bool = False) -> int:
        """Blank the mentions in `fields` of these records: every word of their names where
        the records are `shared` with the person, else full names and contacts only (and
        then only the rows `lookup` finds are read). Returns how many records changed."""
        if not self:
            return 0
        redact = self.redact if shared else self.redact_full_names
        limits = {name: records.model._meta.get_field(name).max_length for name in fields}
        candidates = records if shared else records.filter(self.lookup(*fields))
        changes = []
        # Read first, write after: SQLite does not isolate a cursor from the writes beside it.
        for pk, *values in candidates.order_by().values_list("pk", *fields):
            changed = {}
            for name, value in zip(fields, values, strict=True):
                new = redact(value or "")
                if new != (value or ""):
                    changed[name] = new[: limits[name]] if limits[name] else new
            if changed:
                changes.append((pk, changed))
        for pk, changed in changes:
            records.filter(pk=pk).update(**changed)
        return len(changes)


def _inflected(key: str, name: str) -> bool:
    """Whether the skeleton `key` is the name `name` with a case ending."""
    if key.startswith(name) and key[len(name) :] in _AFTER_CONSONANT and name[-1] not in _VOWELS:
        return True
    if name[-1] in _VOWELS:
        stem = name[:-1]
        return key.startswith(stem) and key[len(stem) :] in _FOR_VOWEL
    return False
