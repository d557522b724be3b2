"""The SQL macros every import runs with: value vocabularies (built from
metrics/record.py), date and number parsing, and the state order that decides which
of two exports of a dossier is newer. RULES_VERSION digests them with the SQL and the
readers: a file imported under other rules is imported again (ingest._already_imported).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from metrics.record import (
    CHANNEL_VALUES,
    CHANNEL_WORDS,
    HEADER_TO_COLUMN,
    RATING_VALUES,
    STATUS_VALUES,
    TIER_VALUES,
    loose_key,
    loose_values,
)

SQL_DIR = Path(__file__).with_name("sql")


def _literal(value: object) -> str:
    """A SQL literal for our own vocabulary constants (never user input)."""
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _lookup(mapping: Mapping[str, object], key: str) -> str:
    """`mapping[key]` as SQL: a MAP literal. (A cast to an ENUM of the keys is a hash
    lookup, cheaper for a hit, but try_cast builds an error message for every miss:
    three times the CPU for a file whose values all miss, e.g. NFD text.)"""
    pairs = ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in mapping.items())
    return f"(MAP {{{pairs}}})[{key}]"


def exact_case_keys(mapping: Mapping[str, object]) -> dict[str, object]:
    """The keys as exports write them, in lower case ("online", "10") or with a capital
    first letter ("Đã trả kết quả", "Cấp xã"), each with its key's value: looked up as
    they are, they skip lower(), which costs more than the lookup. Only spellings whose
    lower case is the key (checked against DuckDB's lower() in
    tests/unit/test_ingest_macros.py)."""
    exact: dict[str, object] = {}
    for spelling_of in (str.capitalize, str):  # capitalised first: a MAP is searched in order
        for k, v in mapping.items():
            if spelling_of(k).lower() == k:
                exact.setdefault(spelling_of(k), v)
    return exact


def _map_macro(name: str, mapping: Mapping[str, object], words: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """A vocabulary lookup. The value as written is tried first, then in lower case;
    only a miss pays for NFC and space folding, then for dropping accents and
    punctuation (record.loose_key: "Truc tuyen", "DA_TRA_KET_QUA"), then for the code
    a value starts with ("10 - Đã trả kết quả"), then (`words`, record.CHANNEL_WORDS)
    for a word the value contains ("Nộp trực tiếp tại Bộ phận Một cửa")."""
    # The keys are lower case and none is a number written "3.0", so where lower(v)
    # is a key, vocab_key(v) is the same key: most values skip vocab_key's regex.
    assert all(k == k.lower() and not re.fullmatch(r"\d+\.0+", k) for k in mapping)
    lookups = [
        _lookup(exact_case_keys(mapping), "v"),
        _lookup(mapping, "lower(v)"),
        _lookup(mapping, "vocab_key(v)"),
        _lookup(mapping, "vocab_key(clean_text(v))"),
        _lookup(loose_values(dict(mapping)), "loose_key(v)"),
        _lookup(mapping, "nullif(regexp_extract(v, '^\\s*(\\d{1,2})\\s*[-–.:)]', 1), '')"),
    ]
    if words:
        cases = " ".join(
            f"WHEN contains(loose_key(v), {_literal(loose_key(w))}) THEN {_literal(value)}"
            for value, ws in words.items()
            for w in ws
        )
        lookups.append(f"CASE {cases} END")
    # an empty cell would otherwise pay for every lookup, each giving NULL
    return f"CREATE OR REPLACE TEMP MACRO {name}(v) AS CASE WHEN v IS NOT NULL THEN coalesce({', '.join(lookups)}) END;"


_DATE_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
]


# ISO without a zone; parse_ts reads it with a cast, parse_ts_lenient checks it first
_ISO = "'\\d{4}-\\d\\d-\\d\\d( \\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?)?'"

_DATE_FORMATS_12H = [
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y %I:%M %p",
    "%d-%m-%Y %I:%M:%S %p",
    "%d-%m-%Y %I:%M %p",
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%d %I:%M %p",
]


def macros() -> str:
    formats = "[" + ", ".join(_literal(f) for f in _DATE_FORMATS) + "]"
    formats_12h = "[" + ", ".join(_literal(f) for f in _DATE_FORMATS_12H) + "]"
    return "\n".join(
        [
            # NFC, trimmed, spaces collapsed: NFD accents from some systems must
            # match NFC vocabulary. Normalising costs ~0.3 s per million values, so
            # only values that need it (stray spaces, combining marks) pay for it.
            "CREATE OR REPLACE TEMP MACRO needs_cleaning(v) AS "
            "regexp_matches(v, '^\\s|\\s$|\\s\\s|[\\t\\n\\r\\x{00A0}\\x{0300}-\\x{036F}]');",
            "CREATE OR REPLACE TEMP MACRO clean_text(v) AS CASE "
            "WHEN needs_cleaning(v) "
            "THEN nullif(trim(regexp_replace(nfc_normalize(v), '[\\s\\x{00A0}]+', ' ', 'g')), '') "
            "ELSE nullif(v, '') END;",
            # trim() strips the space separators (Unicode Zs) and copies every value
            # it returns; only a value that starts or ends with one needs it (a third
            # of the cost; tests/unit/test_ingest_macros.py compares every code point).
            # ORs, not IN: DuckDB rewrites a long IN list into a join, and the import
            # then loses its parallel, ordered insert (file_rows.inserts_in_file_order).
            "CREATE OR REPLACE TEMP MACRO space_separator(c) AS "
            "(c = 32 OR c = 160 OR c = 5760 OR c = 8239 OR c = 8287 OR c = 12288 OR c BETWEEN 8192 AND 8202);",
            # A code that starts and ends with a printable ASCII character (nearly every
            # one) is returned as it is: space_separator names its argument nine times,
            # and unicode(substr(v, -1)) counts the characters of v each time.
            "CREATE OR REPLACE TEMP MACRO clean_code(v) AS CASE "
            "WHEN unicode(v) BETWEEN 33 AND 126 AND unicode(substr(v, -1)) BETWEEN 33 AND 126 THEN v "
            "WHEN space_separator(unicode(v)) OR space_separator(unicode(substr(v, -1))) "
            "THEN nullif(trim(v), '') ELSE nullif(v, '') END;",
            # A value is present when it has more than spaces. A CASE, not AND/OR: in a
            # SELECT list DuckDB evaluates every operand of AND/OR for every row, and
            # trim() copies each value.
            "CREATE OR REPLACE TEMP MACRO present(v) AS CASE WHEN v IS NULL THEN false "
            "WHEN NOT starts_with(v, ' ') THEN true ELSE trim(v) <> '' END;",
            "CREATE OR REPLACE TEMP MACRO vocab_key(v) AS regexp_replace(lower(v), '^(\\d+)\\.0+$', '\\1');",
            # record.loose_key in SQL: no case, accents (đ is a letter of its own), spaces or punctuation
            "CREATE OR REPLACE TEMP MACRO loose_key(v) AS regexp_replace(strip_accents(replace(lower("
            "nfc_normalize(regexp_replace(v, '^(\\d+)\\.0+$', '\\1'))), 'đ', 'd')), '[^0-9a-z]+', '', 'g');",
            # record.procedure_key: the national suffix is not part of the catalogue key
            "CREATE OR REPLACE TEMP MACRO procedure_key(v) AS CASE WHEN length(v) > 9 "
            "AND regexp_matches(v, '^\\d+\\.\\d+\\.') THEN regexp_extract(v, '^(\\d+\\.\\d+)\\.', 1) ELSE v END;",
            # the agency id a dossier code starts with: the part before the first '-'
            "CREATE OR REPLACE TEMP MACRO code_prefix(code) AS "
            "CASE WHEN contains(code, '-') THEN split_part(code, '-', 1) END;",
            # Where a dossier stands, to compare two states of it (store.sql): ended
            # first, then the end date, the status rank and the return date.
            "CREATE OR REPLACE TEMP MACRO status_rank(s) AS CASE WHEN s = 1 THEN 0 WHEN s = 2 THEN 1 "
            "WHEN s IN (4, 5, 6) THEN 2 WHEN s IN (3, 7, 8) THEN 3 WHEN s = 9 THEN 4 ELSE 5 END;",
            # The export's own date (readers/asof.py) breaks a tie between states.
            "CREATE OR REPLACE TEMP MACRO state_key(s, resolved, returned, as_of) AS ["
            "CASE WHEN s IN (3, 7, 8, 9, 10) THEN 1 ELSE 0 END, "
            "coalesce(epoch_ms(coalesce(resolved, returned)), -1), status_rank(s), coalesce(epoch_ms(returned), -1), "
            "coalesce(epoch_ms(as_of), -1)];",
            # a header repeated on every printed page is not a dossier
            "CREATE OR REPLACE TEMP MACRO header_word(v) AS lower(v) IN ("
            + ", ".join(_literal(h) for h, c in HEADER_TO_COLUMN.items() if c == "dossier_code")
            + ");",
            _map_macro("tier_of", TIER_VALUES),
            _map_macro("channel_of", CHANNEL_VALUES, CHANNEL_WORDS),
            _map_macro("status_of", STATUS_VALUES),
            _map_macro("rating_of", RATING_VALUES),
            # A plain number is cast as it is (trimming, lower case and dropping ".0"
            # cannot change its value); only the rest pays for vocab_key's regex.
            "CREATE OR REPLACE TEMP MACRO parse_count(v) AS CASE "
            "WHEN try_cast(v AS INTEGER) >= 0 THEN try_cast(v AS INTEGER) "
            "WHEN try_cast(vocab_key(trim(v)) AS INTEGER) >= 0 THEN try_cast(vocab_key(trim(v)) AS INTEGER) END;",
            # Local time (UTC+7) without a zone. A zoned ISO time is converted; an
            # Excel serial counts days from 1899-12-30; dd/mm is never read as mm/dd.
            # Vietnamese Windows locales write AM/PM as SA (sáng) / CH (chiều); DuckDB's
            # own cast would drop the suffix and read 02:15 CH as 02:15.
            "CREATE OR REPLACE TEMP MACRO parse_ts_12h(v) AS CASE "
            "WHEN regexp_matches(trim(v), '\\d\\s*(SA|CH|AM|PM|sa|ch|am|pm)$') THEN try_strptime("
            "regexp_replace(regexp_replace(upper(trim(v)), '\\s*SA$', ' AM'), '\\s*CH$', ' PM'), "
            f"{formats_12h}) END;",
            "CREATE OR REPLACE TEMP MACRO parse_ts(v) AS CASE "
            "WHEN v IS NULL THEN NULL "
            # JSON APIs: .NET "/Date(1709539200000+0700)/" and epoch milliseconds (below) are UTC
            "WHEN starts_with(v, '/Date(') THEN timezone('Asia/Ho_Chi_Minh', "
            "to_timestamp(try_cast(regexp_extract(v, '^/Date\\((-?\\d+)', 1) AS BIGINT) / 1000)) "
            f"WHEN contains(v, '/') THEN try_strptime(v, {formats}) "
            # ISO without a zone (what a workbook's date cells read as, issue 14): one
            # check, instead of falling through every pattern below to the same cast
            f"WHEN regexp_full_match(v, {_ISO}) THEN try_cast(v AS TIMESTAMP) "
            f"WHEN regexp_matches(v, '^\\d{{1,2}}[-.]\\d{{1,2}}[-.]\\d{{4}}') THEN try_strptime(v, {formats}) "
            "WHEN regexp_full_match(v, '\\d{14}') THEN try_strptime(v, '%Y%m%d%H%M%S') "
            "WHEN regexp_full_match(v, '1\\d{12}') THEN timezone('Asia/Ho_Chi_Minh', to_timestamp(CAST(v AS BIGINT) / 1000)) "
            "WHEN regexp_full_match(v, '\\d{8}') THEN try_strptime(v, '%Y%m%d') "
            "WHEN regexp_full_match(v, '\\d{5}(\\.\\d+)?') THEN TIMESTAMP '1899-12-30' + "
            "to_microseconds(CAST(round(CAST(v AS DOUBLE) * 86400) * 1000000 AS BIGINT)) "
            "WHEN regexp_matches(v, '(Z|[+-]\\d\\d:?\\d\\d)$') AND regexp_matches(v, '^\\d{4}-') "
            "THEN timezone('Asia/Ho_Chi_Minh', try_cast(v AS TIMESTAMPTZ)) "
            "WHEN upper(right(trim(v), 2)) IN ('AM', 'PM', 'SA', 'CH') THEN parse_ts_12h(v) "
            "ELSE try_cast(v AS TIMESTAMP) END;",
            # Stray spaces around a date are trimmed only when the value as read fails.
            # The first format is tried alone first: where it reads a value, parse_ts
            # reads it with the same format (a value it reads has a '/' and starts
            # with a digit), and most exports write every date that way. The value as
            # read and trimmed go through one lambda: a macro is written out wherever
            # it is named, and every import pays to plan each copy (three times: the
            # view, the ordered-insert check, the INSERT), so parse_ts is named once.
            # ISO dates (what a workbook's date cells read as) take parse_ts's own ISO
            # branch in a CASE, before the lambda: inside a coalesce DuckDB runs the
            # lambda on every row whatever came before, both values of each (1,3 s
            # per million ISO dates instead of 0,19; the CASE costs 0,02 on others).
            # The ISO check starts with strpos, a byte search, not substr(v, 5, 1), which
            # counts characters (0,012 s per million dates); an ISO date's first '-' is
            # its fifth character, so the two tests pass the same values to the regex.
            "CREATE OR REPLACE TEMP MACRO parse_ts_lenient(v) AS CASE WHEN v IS NULL THEN NULL "
            f"WHEN strpos(v, '-') = 5 AND regexp_full_match(v, {_ISO}) THEN try_cast(v AS TIMESTAMP) "
            f"ELSE coalesce(try_strptime(v, {_literal(_DATE_FORMATS[0])}), "
            "list_first(list_filter(list_transform([v, nullif(trim(v), '')], lambda x: parse_ts(x)), "
            "lambda t: t IS NOT NULL)), parse_ts_12h(v)) END;",
        ]
    )


def _rules_version() -> str:
    """A digest of everything that decides what a file imports to: the SQL, the
    vocabularies and the readers. A file imported under other rules is imported
    again rather than refused as "already imported"."""
    digest = hashlib.sha256(macros().encode("utf-8"))
    for path in sorted([*SQL_DIR.glob("*.sql"), *Path(__file__).with_name("readers").glob("*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RULES_VERSION = _rules_version()
