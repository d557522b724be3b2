"""The summary tables drawn as HTML (ui.linktable): rows sort by value on the server,
names from data stay text, and every unit is a link."""

from __future__ import annotations

import math

import pandas as pd

from tests.app.linktables import parse
from ui import linktable, tables


def _frame() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "Hạng": [2.0, 10.0, math.nan, 1.0],
            "Đơn vị": ["Xã Đông", "Xã Ân Phú", "Xã Bình", "Phường Zê"],
            "Tỷ lệ": [0.9781, 1.0, 0.5, 0.97],
        }
    )
    frame.attrs["na"] = {"Hạng": "chưa xếp hạng"}
    return tables.formatted(frame, {"Hạng": "int", "Tỷ lệ": "pct"})


def test_numbers_sort_as_numbers_and_a_missing_value_comes_last_either_way():
    frame = _frame()
    assert linktable.order(frame, 0, desc=False) == [3, 0, 1, 2]  # 1, 2, 10, then the unranked
    assert linktable.order(frame, 0, desc=True) == [1, 0, 3, 2]
    assert linktable.order(frame, 2, desc=False) == [2, 3, 0, 1]  # 50%, 97%, 97,81%, 100%


def test_text_sorts_by_its_letters_without_marks():
    assert linktable.order(_frame(), 1, desc=False) == [3, 1, 2, 0]  # Phường Zê, Xã Ân, Xã Bình, Xã Đông


def test_no_chosen_column_keeps_the_engines_order():
    assert linktable.order(_frame(), None, desc=False) == [0, 1, 2, 3]


def test_cells_are_written_vi_vn_and_a_unit_is_a_link_to_its_view():
    frame = _frame()
    links = {"Đơn vị": [f"units?unit=U{i}" for i in range(4)]}
    table = parse(linktable.html(frame, links))
    assert table.headers == ["Hạng", "Đơn vị", "Tỷ lệ"]
    assert table.column("Tỷ lệ") == ["97,81%", "100,00%", "50,00%", "97,00%"]
    assert table.column("Hạng") == ["2", "10", "chưa xếp hạng", "1"]
    assert table.column_links("Đơn vị") == ["units?unit=U0", "units?unit=U1", "units?unit=U2", "units?unit=U3"]
    assert "target=" not in linktable.html(frame, links)  # the same tab, as the grid's click did


def test_a_name_from_data_is_shown_as_the_characters_it_is():
    frame = pd.DataFrame({"Đơn vị": ['<script>x</script> [a](http://e.vn) "q"']})
    markup = linktable.html(frame, {"Đơn vị": ['units?unit="><b>']})
    assert "<script>" not in markup and "<b>" not in markup and "](" not in markup
    table = parse(markup)
    assert table.rows == [['<script>x</script> [a](http://e.vn) "q"']]
    assert table.links == [['units?unit="><b>']]


def test_the_late_column_is_a_link_named_in_words():
    frame = tables.with_late_links(_frame(), ["A", "B", "C", "D"], {"period": "month"})
    table = parse(linktable.html(frame))
    assert set(table.column("Hồ sơ trễ hạn")) == {"Xem hồ sơ trễ"}
    assert table.column_links("Hồ sơ trễ hạn")[0] == "late?period=month&unit=A"
