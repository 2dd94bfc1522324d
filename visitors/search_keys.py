"""How names are reduced so the desk finds people the way it types them.

A name written in Cyrillic or Latin, with or without diacritics, in Ukrainian or Russian
transliteration, is turned into a *skeleton*: lower-case ASCII in which the spellings that
transliteration systems disagree on are folded together ("sh", "š", "ш" -> "s"; "kh", "h",
"г" -> "g"; "y", "i", "j" -> "i" ...). Шевченко, Shevchenko and Ševčenko share the skeleton
"sevcenko"; one typo more (Shevchenco) is caught by the deletion variants below.

anyascii does the transliteration (Russian-style for Cyrillic); the Ukrainian national rules
(Г -> h, И -> y, Ї -> yi, Є -> ye ...) that it lacks are added as a second reading, so a
Ukrainian passport spelling (Hryhorii) meets the Russian-style one (Grigoriy).
"""

import re

from anyascii import anyascii

# The letters where the Ukrainian national transliteration (2010) differs from anyascii.
_UKRAINIAN = str.maketrans(
    {
        "г": "h",
        "Г": "H",
        "ґ": "g",
        "Ґ": "G",
        "и": "y",
        "И": "Y",
        "і": "i",
        "І": "I",
        "ї": "yi",
        "Ї": "Yi",
        "є": "ye",
        "Є": "Ye",
        "й": "y",
        "Й": "Y",
        "х": "kh",
        "Х": "Kh",
        "ь": "",
        "Ь": "",
        "’": "",
        "'": "",
    }
)

# Applied in order to lower-case ASCII; longer spellings first.
_FOLDS = [
    ("shch", "s"),
    ("sch", "s"),
    ("sh", "s"),
    ("zh", "z"),
    ("ch", "c"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("cz", "c"),
    ("sz", "s"),
    ("ck", "k"),
    ("ph", "f"),
    ("x", "ks"),
    ("w", "v"),
    ("q", "k"),
    ("h", "g"),
    ("y", "i"),
    ("j", "i"),
]
_NOT_LETTER = re.compile(r"[^a-z]+")
_REPEAT = re.compile(r"(.)\1+")

# Typo tolerance: tokens this long or longer also match at one edit's distance.
FUZZY_MIN_LENGTH = 4


def skeleton(word: str) -> str:
    text = _NOT_LETTER.sub("", anyascii(word).lower())
    for spelling, folded in _FOLDS:
        text = text.replace(spelling, folded)
    return _REPEAT.sub(r"\1", text)


def readings(text: str) -> set[str]:
    """The skeletons of every word in `text`, under both transliterations."""
    words = set()
    for variant in {text, text.translate(_UKRAINIAN)}:
        for word in re.split(r"[\s,;/()-]+", variant):
            key = skeleton(word)
            if key:
                words.add(key)
    return words


# A word as it was typed (lower case, letters only, any script) is kept too, marked so it
# never meets a skeleton: the person spelled exactly as the desk typed comes first.
LITERAL_MARK = "="
_NOT_A_LETTER = re.compile(r"[\W\d_]+")


def literals(text: str) -> set[str]:
    """Each word of `text` as written, lower case ("=kovalenko", "=коваленко")."""
    found = set()
    for word in re.split(r"[\s,;/()-]+", text):
        letters = _NOT_A_LETTER.sub("", word.lower())
        if letters:
            found.add(LITERAL_MARK + letters)
    return found


def deletions(key: str) -> set[str]:
    """`key` with any one letter removed: two words one edit apart share one of these."""
    if len(key) < FUZZY_MIN_LENGTH:
        return set()
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def phone_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


# A phone number is found by its last digits: the prefix (+370, 8, 00370) varies as typed.
PHONE_KEY_DIGITS = 7


def phone_key(digits: str) -> str:
    return "#" + digits[-PHONE_KEY_DIGITS:]


def index_rows(words: set[str], digits: str, typed: set[str] = frozenset()) -> dict[str, bool]:
    """The key rows for one person: {key: exact} for each name skeleton, its one-letter
    deletions, each name as written (`typed`, from `literals`), and the phone number's last
    digits."""
    rows = dict.fromkeys(typed, True)
    for word in words:
        rows[word] = True
        for variant in deletions(word):
            rows.setdefault(variant, False)
    if len(digits) >= PHONE_KEY_DIGITS:
        rows[phone_key(digits)] = True
    return rows
