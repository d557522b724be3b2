"""argparse's own words (usage, section titles, its error messages) in Vietnamese, so a
mistyped command line reads like the rest of the CLI.

argparse looks each of its messages up through the module-level name `_` (gettext) at
the moment it prints, and a gettext catalogue would depend on the machine's locale; so
`vietnamese()` points that name at this table while the command line is parsed, and
puts it back after. A message not in the table stays as argparse wrote it."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

WORDS = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "giá trị %(value)r không hợp lệ (chọn một trong %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (cần kiểu %(type)s)",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ: có thể là %(matches)s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "not allowed with argument %s": "không dùng được cùng tham số %s",
}


def translate(message: str) -> str:
    return WORDS.get(message, message)


@contextmanager
def vietnamese() -> Iterator[None]:
    english = argparse._  # type: ignore[attr-defined]
    argparse._ = translate  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]
