"""The per-file import report on the Dữ liệu page, after an upload: the same report the
CLI prints (metrics/ingest_report.py), read back from the database by
compute.import_report. KPIs a file cannot support come first, as warnings."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from metrics import compute
from metrics.ingest_report import FORMAT_LABELS
from ui import data, fmt
from ui.i18n import lang

_TEXT = {
    "title": ("Báo cáo nhập tệp «{name}»", "Import report for '{name}'"),
    "format": ("Định dạng", "Format"),
    "part": ("Đã đọc «{name}»", "Read '{name}'"),
    "header_row": ("dòng tiêu đề {n}", "header row {n}"),
    "rows": ("{n} dòng", "{n} rows"),
    "inferred": (
        "Tệp không có cột trạng thái: trạng thái được suy ra từ các ngày (có ngày trả/kết quả là đã giải "
        "quyết, còn lại là đang xử lý).",
        "The file has no status column: status was inferred from the dates (a result date means resolved, "
        "otherwise in progress).",
    ),
    "source": ("Cột trong tệp", "Column in the file"),
    "column": ("Cột chuẩn", "Canonical column"),
    "personal": ("Không lưu (dữ liệu cá nhân)", "Not stored (personal data)"),
    "unused": ("Không dùng", "Not used"),
    "skipped": ("Bỏ qua «{name}»: {reason}", "Skipped '{name}': {reason}"),
    "counts": (
        "Đọc {read} dòng · nhận {accepted} hồ sơ · cách ly {quarantined} · trùng {duplicate} · "
        "cũ hơn dữ liệu đã có {superseded} · bỏ qua {skipped} dòng không phải hồ sơ",
        "Read {read} rows · accepted {accepted} · quarantined {quarantined} · duplicates {duplicate} · "
        "superseded by a newer state {superseded} · skipped {skipped} non-dossier rows",
    ),
    "reasons": ("Cách ly theo lý do", "Quarantined by reason"),
}


def _t(key: str, **kwargs: object) -> str:
    vi, en = _TEXT[key]
    return (vi if lang() == "vi" else en).format(**kwargs)


def _import_ids(results: list[tuple[str, str]]) -> list[int]:
    """The latest import of each file named by a successful result line."""
    done = [text for kind, text in results if kind == "ok"]
    if not done:  # nothing imported in this session (every visit but an upload's): no query
        return []
    history = compute.import_history(data.con())
    ids = []
    for text in done:
        for import_id, file_name in zip(history["import_id"], history["file_name"], strict=True):
            if text.startswith(f"{file_name}:"):
                ids.append(int(import_id))
                break
    return list(dict.fromkeys(ids))


def render(results: list[tuple[str, str]]) -> None:
    """One expander per file imported by the upload whose result lines are `results`."""
    for import_id in _import_ids(results):
        report = compute.import_report(data.con(), import_id)
        if report:
            show(report)


def show(report: dict[str, Any]) -> None:
    vi = lang() == "vi"
    with st.expander(_t("title", name=report["file_name"]), expanded=bool(report["unsupported"])):
        for u in report["unsupported"]:
            st.warning(u["message_vi" if vi else "message_en"], icon=":material/help:")
        for note in report["notes"]:
            st.info(note["vi" if vi else "en"], icon=":material/info:")
        st.caption(f"{_t('format')}: {FORMAT_LABELS.get(report['file_format'], report['file_format'])}")
        for p in report["parts"]:
            where = [_t("rows", n=fmt.n(p["rows"]))]
            if p["header_row"]:
                where.insert(0, _t("header_row", n=p["header_row"]))
            st.markdown(f"**{_t('part', name=p['name'])}** ({', '.join(where)})")
            if p["status_inferred"]:
                st.info(_t("inferred"), icon=":material/info:")
            mapping = pd.DataFrame(
                {
                    _t("source"): [c["source"] for c in p["columns"]],
                    _t("column"): [c["label_vi"] if vi else c["column"] for c in p["columns"]],
                }
            )
            st.dataframe(mapping, hide_index=True, width="stretch")
            personal = [c["source"] for c in p["ignored"] if c["personal"]]
            unused = [c["source"] for c in p["ignored"] if not c["personal"]]
            if personal:
                st.caption(f"{_t('personal')}: {', '.join(personal)}")
            if unused:
                st.caption(f"{_t('unused')}: {', '.join(unused)}")
        for s in report["skipped_parts"]:
            st.caption(_t("skipped", name=s["name"], reason=s["reason_vi" if vi else "reason_en"]))
        rows = report["rows"]
        st.markdown(_t("counts", **{k: fmt.n(rows[k]) for k in _TEXT_COUNTS}))
        if rows["quarantined_by_reason"]:
            st.caption(
                f"{_t('reasons')}: "
                + "; ".join(f"{q['reason_vi']}: {fmt.n(q['rows'])}" for q in rows["quarantined_by_reason"])
            )


_TEXT_COUNTS = ("read", "accepted", "quarantined", "duplicate", "superseded", "skipped")
