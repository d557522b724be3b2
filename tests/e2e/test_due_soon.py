"""Issue 13 in a real browser: the overview's due-soon card opens the due-soon list on the
late page, and the list downloads as a worklist with one sheet per unit."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl

from tests.e2e.test_browser import assert_clean, settle


def test_the_due_soon_card_opens_the_list_and_the_worklist_downloads(server, page, shots):
    page.goto(server.url)
    settle(page, "Sắp quá hạn")
    card = page.locator(".st-key-due_soon_card")
    count = int(card.locator("h3").inner_text().replace(".", ""))
    assert count > 0, "the demo has dossiers due within two working days"
    card.get_by_role("link", name="Xem danh sách sắp quá hạn").click()
    settle(page, "hồ sơ sắp quá hạn")
    assert "/late" in page.url and "late_view=due_soon" in page.url
    assert_clean(page)
    assert page.get_by_text(f"{count:,} hồ sơ sắp quá hạn".replace(",", "."), exact=False).count() == 1
    page.screenshot(path=str(shots / "due_soon.png"), full_page=True)
    with page.expect_download() as info:
        page.locator(".st-key-download_worklist button").click()
    wb = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    dossiers = 0
    for ws in wb.worksheets:
        rows = [[c.value for c in r] for r in ws.iter_rows()]
        assert rows[0][0].startswith("Hồ sơ sắp quá hạn — ")
        header = next(i for i, r in enumerate(rows) if r[0] == "Mã hồ sơ")
        body = rows[header + 1 :]
        assert body and all(isinstance(r[3], dt.datetime) for r in body)  # due dates as dates
        assert all(0 <= r[4] <= 2 for r in body)
        assert [r[3] for r in body] == sorted(r[3] for r in body)
        dossiers += len(body)
    assert dossiers == count
