"""The Data page: upload exports through the engine's importer (the CLI's), with a
progress bar and a per-file summary; the import history, the data-quality ledger, the
quarantined rows and the targets in force.

Who sees what (docs/security.md): uploading needs the `data` or `admin` role; the
import history, the quarantine and the database path are for `admin` only. Uploads are
streamed to a temporary file in 1 MB chunks (never a whole-file copy in memory) and
refused past the size limit."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from metrics import db
from metrics.ingest import UnreadableFile
from ui import auth, data, fmt, import_report, linktable, markup, tables
from ui.i18n import lang, t, tier_label

log = logging.getLogger("cchc.dashboard")
RESULTS = "_import_results"
CHUNK = 1 << 20


def upload_limit_mb() -> int:
    """Megabytes per file: CCHC_MAX_UPLOAD_MB, else Streamlit's server.maxUploadSize (the
    browser is refused past that one before a byte reaches us)."""
    return int(os.environ.get("CCHC_MAX_UPLOAD_MB") or st.get_option("server.maxUploadSize"))


def uploader_texts() -> None:
    """Streamlit 1.67's file uploader writes its own English ("Drag and drop files here",
    "Upload", "200MB per file") with no parameter or locale to change them; the supported
    lever is the page's CSS: those texts are hidden and ours drawn in their place."""
    drop = '.st-key-upload_files [data-testid="stFileUploaderDropzone"]'
    hint = t("upload_hint", mb=fmt.n(upload_limit_mb()))
    st.html(
        f"""<style>
        {drop} *:not(input) {{ font-size: 0 !important; line-height: 0; }}
        {drop} [data-testid^="stFileChip"], {drop} [data-testid^="stFileChip"] * {{
            font-size: 0.875rem !important; line-height: 1.4; }}
        {drop} button {{ min-height: 2.5rem; padding: 0 1rem; }}
        {drop} button::after {{ content: "{t("upload_pick")}"; font-size: 0.95rem; line-height: 1.4; }}
        {drop} [data-testid="stFileUploaderDropzoneInstructions"]::after {{
            content: "{hint}"; font-size: 0.85rem; line-height: 1.4; }}
        </style>"""
    )


def upload() -> None:
    if not auth.current().may_upload:
        return
    if data.read_only():
        st.info(t("upload_readonly"), icon=":material/lock:")
        return
    uploader_texts()
    with st.form("upload_form", clear_on_submit=True, border=True):
        files = st.file_uploader(
            # any name: the importer recognises a file by its content (an HTML ".xls", an
            # XML or text export), and says in Vietnamese what it cannot read
            t("upload"),
            type=None,
            accept_multiple_files=True,
            key="upload_files",
        )
        submitted = st.form_submit_button(t("upload_button"), icon=":material/upload:", key="upload_submit")
    if submitted and files:
        st.session_state[RESULTS] = run_imports(files)
        st.rerun()  # the sidebar and the banner were drawn before the import: redraw them
    for kind, text in st.session_state.get(RESULTS, []):
        # the messages carry file names chosen by whoever made the file: text, not Markdown
        (st.success if kind == "ok" else st.error)(fmt.text(text))
    import_report.render(st.session_state.get(RESULTS, []))


def run_imports(files: list) -> list[tuple[str, str]]:
    results: list[tuple[str, str]] = []
    limit = upload_limit_mb()
    bar = st.progress(0.0, text=fmt.text(t("importing", name=files[0].name, i=1, n=len(files))))
    with tempfile.TemporaryDirectory(prefix="cchc_upload_") as tmp:
        for i, f in enumerate(files, start=1):
            bar.progress((i - 1) / len(files), text=fmt.text(t("importing", name=f.name, i=i, n=len(files))))
            if f.size > limit * CHUNK:
                results.append(("error", t("upload_too_big", name=f.name, limit=fmt.n(limit))))
                continue
            path = Path(tmp) / f"{i:03d}{Path(f.name).suffix.lower()}"
            with open(path, "wb") as out:
                f.seek(0)
                shutil.copyfileobj(f, out, CHUNK)  # read() in chunks: getbuffer() would copy the whole file
            log.info("upload of %r (%s bytes) by %s", f.name, f.size, auth.current().who)
            try:
                summary = data.import_file(str(path), display_name=f.name)
                results.append(("ok", summary.line_vi() if lang() == "vi" else summary.line_en()))
            except UnreadableFile as exc:
                msg = exc.message_vi if lang() == "vi" else exc.message_en
                results.append(("error", t("import_failed", name=f.name, msg=msg)))
            except db.DatabaseBusy:
                results.append(("error", t("db_busy")))
            except (duckdb.Error, OSError, ValueError):
                log.exception("import of %s failed", f.name)
                results.append(("error", t("import_error", name=f.name)))
            finally:
                path.unlink(missing_ok=True)  # a batch never holds more than one file on disk
    bar.progress(1.0, text=t("import_done", n=len(files)))
    return results


def _expander(label: str, key: str):
    """An expander whose grid is built and sent only once the reader opens it (`.open`):
    a data grid costs the browser 1,3 MB of code and a canvas each (issue 14)."""
    return st.expander(label, icon=":material/table:", key=key, on_change="rerun")


def _section(title: str, *notes: str, body: str = "") -> None:
    """A section's heading, its small print and a short table (HTML) as one st.html block:
    one element, where a subheader, captions and a Markdown table were one each (issue 14)."""
    st.html(f"<h3>{markup.text(title)}</h3>" + "".join(markup.caption(n) for n in notes) + body)


def history(frame: pd.DataFrame) -> None:
    if frame.empty:
        _section(t("import_history"), t("nothing_yet"))
        return
    _section(t("import_history"))
    with _expander(t("history_open", n=fmt.n(len(frame))), "history_open") as box:
        if box.open:
            _history_table(frame)


def _history_table(frame: pd.DataFrame) -> None:
    vi = lang() == "vi"
    shown = pd.DataFrame(
        {
            "#": frame["import_id"],
            "Tệp" if vi else "File": frame["file_name"],
            "Nhập lúc" if vi else "Imported": frame["imported_at"].map(fmt.datetime),
            "Dòng đọc" if vi else "Rows read": frame["rows_read"],
            "Hồ sơ nhận" if vi else "Accepted": frame["rows_accepted"],
            "Cách ly" if vi else "Quarantined": frame["rows_quarantined"],
            "Trùng" if vi else "Duplicates": frame["rows_duplicate"],
            "Bỏ qua" if vi else "Skipped": frame["rows_skipped"],
            "Cột không lưu" if vi else "Columns dropped": frame["columns_dropped"],
            "Giây" if vi else "Seconds": frame["seconds"].map(lambda s: fmt.num(s, 1)),
        }
    )
    counts = ("Dòng đọc", "Hồ sơ nhận", "Cách ly", "Trùng", "Bỏ qua") if vi else ()
    counts = counts or ("Rows read", "Accepted", "Quarantined", "Duplicates", "Skipped")
    for col in counts:
        shown[col] = pd.to_numeric(shown[col], errors="coerce")
    tables.show(tables.formatted(shown, dict.fromkeys(counts, "int")), key="history_table")


# the ledger names what a rule keeps a record out of in codes (metrics/sql/quality.sql)
EXCLUDED = {
    "on_time_rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "on_time_rate 766": ("Tỷ lệ đúng hạn (chỉ số 766)", "On-time rate (index 766)"),
    "online_rate": ("Tỷ lệ trực tuyến", "Online rate"),
    "late": ("danh sách trễ hạn", "late list"),
    "tier breakdowns": ("số liệu theo cấp", "tier breakdowns"),
    "none": ("không loại khỏi số liệu nào", "nothing"),
    "all (not imported)": ("tất cả (dòng không được nhập)", "everything (row not imported)"),
}


def excluded_text(codes: object) -> str:
    """'on_time_rate, late' -> 'Tỷ lệ đúng hạn, danh sách trễ hạn'."""
    i = 0 if lang() == "vi" else 1
    text = str(codes or "")
    if text in EXCLUDED:
        return EXCLUDED[text][i]
    return ", ".join(EXCLUDED.get(part.strip(), (part.strip(), part.strip()))[i] for part in text.split(","))


def quality(frame: pd.DataFrame) -> None:
    rows = frame[frame["dossiers"] > 0] if not frame.empty else frame
    if rows.empty:
        _section(t("quality"))
        st.success(t("quality_clean"), icon=":material/verified:")
        return
    vi = lang() == "vi"
    shown = pd.DataFrame(
        {
            "Quy tắc" if vi else "Rule": rows["label_vi" if vi else "label_en"],
            "Số hồ sơ" if vi else "Records": pd.to_numeric(rows["dossiers"], errors="coerce"),
            "Không tính vào" if vi else "Excluded from": rows["excluded_from"].map(excluded_text),
        }
    )
    _section(t("quality"), body=linktable.html(tables.formatted(shown, {"Số hồ sơ" if vi else "Records": "int"})))


def database(path: str) -> None:
    """Where the data lives, for the administrator. Inline code, not st.code: a code block
    makes the browser load its 1,5 MB syntax highlighter for one line (issue 14)."""
    _section(t("database"), body=f"<code>{markup.text(path)}</code>")


def quarantine(frame: pd.DataFrame) -> None:
    if frame.empty:
        _section(t("quarantine"), t("nothing_yet"))
        return
    _section(t("quarantine"))
    with _expander(t("quarantine_open", n=fmt.n(len(frame))), "quarantine_open") as box:
        if box.open:
            _quarantine_table(frame)


def _quarantine_table(frame: pd.DataFrame) -> None:
    vi = lang() == "vi"
    shown = pd.DataFrame(
        {
            "Tệp" if vi else "File": frame["file_name"],
            "Dòng" if vi else "Row": frame["source_row"],
            "Lý do" if vi else "Reason": frame["reason_vi" if vi else "reason_en"],
            "Dữ liệu gốc" if vi else "Raw values": frame["raw"],
        }
    )
    st.dataframe(shown, key="quarantine_table", hide_index=True, width="stretch", height=320)


def targets(frame: pd.DataFrame, on: dt.date) -> None:
    if frame.empty:
        _section(t("targets"), fmt.date(on), t("nothing_yet"))
        return
    from metrics import registry

    def metric_name(key: str) -> str:
        try:
            return registry.label(registry.metric(key), lang())
        except KeyError:
            return key

    vi = lang() == "vi"
    shown = pd.DataFrame(
        {
            t("metric"): frame["metric"].map(metric_name),
            t("tier"): frame["tier"].map(lambda v: t("tier_all") if v == "all" else tier_label(v)),
            t("target"): frame["target"].map(lambda v: fmt.pct(v, 0)),
            "Hiệu lực từ" if vi else "From": frame["valid_from"].map(fmt.date),
            "Đến" if vi else "To": frame["valid_to"].map(lambda v: fmt.date(v) if pd.notna(v) else "—"),
            "Căn cứ" if vi else "Source": frame["source"],
        }
    )
    _section(t("targets"), fmt.date(on), body=WRAP + f'<div class="cchc-wrap">{linktable.html(shown)}</div>')


# a table's cells keep to one line (ui.linktable); the targets' sources are sentences, so
# their text wraps as the Markdown table's did
WRAP = "<style>.cchc-wrap td { white-space: normal !important; }</style>"


def freshness(units: pd.DataFrame) -> None:
    """Each unit's data date and state (compute.freshness), behind ones first."""
    if units.empty:
        _section(t("freshness_title"), t("freshness_caption"), "—")
        return
    _section(t("freshness_title"), t("freshness_caption"))
    behind = int((units["state"] == "behind").sum())
    with _expander(t("freshness_open", n=fmt.n(len(units)), behind=fmt.n(behind)), "freshness_open") as box:
        if box.open:
            order = {"behind": 0, "no_data": 1, "current": 2}
            shown = units.assign(_o=units["state"].map(order)).sort_values(["_o", "data_date"], kind="stable")
            tables.show(tables.freshness(shown.drop(columns="_o")), key="freshness_table")
