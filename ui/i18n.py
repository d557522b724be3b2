"""Every piece of UI text, Vietnamese first with its English twin, so that a page never
holds a literal sentence and the English switch cannot miss one.

Metric names and measure labels are not here: they come from metrics.registry, the one
place a metric is described.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st

from metrics import registry

LANGS = ("vi", "en")
_run = threading.local()

STRINGS: dict[str, tuple[str, str]] = {
    # presentation mode (the slides themselves are the Vietnamese conference deck)
    "slides_title": ("Trình chiếu", "Presentation"),
    "slides_full": ("Toàn màn hình", "Full screen"),
    "slides_full_help": (
        "Ẩn thanh bên và tiêu đề; nhấn F11 để trình duyệt chiếm cả màn hình.",
        "Hides the sidebar and title; press F11 for the browser's own full screen.",
    ),
    "slides_auto": ("Tự chuyển trang", "Auto-advance"),
    "slides_auto_help": (
        "Cho màn hình ở sảnh: tự sang trang sau, hết thì quay lại đầu.",
        "For a lobby screen: moves to the next slide and starts over after the last.",
    ),
    "slides_every": ("Mỗi trang (giây)", "Seconds per slide"),
    "slides_keys": (
        "Phím ← → (hoặc PageUp/PageDown của bút trình chiếu) để chuyển trang; Home/End về đầu/cuối. "
        "Liên kết này mở lại đúng trang và chế độ đang xem.",
        "← → (or a clicker's PageUp/PageDown) change slides; Home/End go to the first/last. "
        "This page's link reopens the same slide and mode.",
    ),
    "slides_exit": ("✕ Thoát trình chiếu", "✕ Leave presentation"),
    "slides_prev": ("◀ Trang trước", "◀ Previous"),
    "slides_next": ("Trang sau ▶", "Next ▶"),
    "slides_position": ("Trang {i}/{n}", "Slide {i}/{n}"),
    "slides_downloads_open": ("Tải về (PowerPoint, PDF, Excel)", "Download (PowerPoint, PDF, Excel)"),
    "slides_downloads": (
        "Tải về cùng bộ số liệu: PowerPoint để trình chiếu (biểu đồ sửa được), PDF để in và ký, Excel để tra cứu.",
        "The same figures as files: PowerPoint to project (editable charts), PDF to print and sign, Excel to look up.",
    ),
    "deck_pptx": ("Tải PowerPoint (.pptx)", "Download PowerPoint (.pptx)"),
    "deck_pdf": ("Tải báo cáo PDF", "Download PDF report"),
    "deck_xlsx": ("Tải bảng tính Excel (.xlsx)", "Download Excel workbook (.xlsx)"),
    # app and navigation
    "app_title": ("Chỉ số cải cách hành chính", "Administrative reform KPIs"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_units": ("Đơn vị", "Units"),
    "page_late": ("Hồ sơ trễ hạn", "Late dossiers"),
    "page_trends": ("Xu hướng", "Trends"),
    "page_data": ("Dữ liệu", "Data"),
    "page_presentation": ("Trình chiếu", "Presentation"),
    "page_welcome": ("Bắt đầu", "Get started"),
    # sidebar filters
    "filters": ("Bộ lọc", "Filters"),
    "language": ("Ngôn ngữ", "Language"),
    "period_kind": ("Kỳ báo cáo", "Period"),
    "kind_month": ("Tháng", "Month"),
    "kind_quarter": ("Quý", "Quarter"),
    "kind_year": ("Năm", "Year"),
    "kind_custom": ("Tùy chọn", "Custom"),
    "month": ("Tháng", "Month"),
    "quarter": ("Quý", "Quarter"),
    "year": ("Năm", "Year"),
    "date_from": ("Từ ngày", "From"),
    "date_to": ("Đến ngày", "To"),
    "tier": ("Cấp", "Tier"),
    "all_tiers": ("Tất cả các cấp", "All tiers"),
    "unit": ("Đơn vị", "Unit"),
    "unit_code": ("Mã đơn vị", "Unit code"),
    "all_units": ("Tất cả đơn vị", "All units"),
    "unit_help": ("Gõ tên hoặc mã đơn vị để tìm", "Type a unit's name or code to search"),
    "on_time_def": ("Cách tính đúng hạn", "On-time definition"),
    "def_resolved": (
        "Hồ sơ đã giải quyết trong kỳ (báo cáo tỉnh)",
        "Dossiers resolved in the period (provincial reports)",
    ),
    "def_766": (
        "Chỉ số 766 (gồm hồ sơ tồn, đang xử lý)",
        "Index 766 (includes carried-over and open dossiers)",
    ),
    "def_766_short": ("theo QĐ 766", "per Decision 766"),
    "period_label": ("Kỳ: {period}", "Period: {period}"),
    "ytd": ("Lũy kế từ đầu năm", "Year to date"),
    "ytd_short": ("Lũy kế {period}", "YTD {period}"),
    "copy_link": (
        "Sao chép địa chỉ trên thanh trình duyệt để gửi đúng màn hình này.",
        "Copy the address bar to share exactly this view.",
    ),
    # freshness
    "freshness": (
        "Dữ liệu đến ngày {latest} (đơn vị cập nhật chậm nhất) · nhập lúc {imported} · {dossiers} hồ sơ",
        "Data up to {latest} (the unit least up to date) · imported {imported} · {dossiers} dossiers",
    ),
    "units_behind": (
        "{n} đơn vị chưa cập nhật đến ngày {newest}",
        "{n} units not updated to {newest}",
    ),
    "reference_problem": (
        "Tệp danh mục bị từ chối, đang dùng bản trước: {msg}",
        "A reference file was refused; the previous copy is in use: {msg}",
    ),
    "data_coverage": (
        "Độ phủ dữ liệu: {current}/{valid} đơn vị có dữ liệu đến {until}",
        "Data coverage: {current}/{valid} units have data up to {until}",
    ),
    "coverage_behind_title": ("Đơn vị chưa cập nhật dữ liệu", "Units whose data is behind"),
    "coverage_behind_caption": (
        "Số liệu «Toàn tỉnh» của kỳ này chưa gồm phần dữ liệu còn thiếu của các đơn vị dưới đây.",
        "This period's whole-province figures lack the missing data of the units below.",
    ),
    "data_date": ("Dữ liệu đến ngày", "Data up to"),
    "valid_to": ("Hết hiệu lực", "Ended"),
    "successor": ("Đơn vị kế thừa", "Successor"),
    "state": ("Tình trạng", "State"),
    "state_current": ("Cập nhật", "Current"),
    "state_behind": ("Chậm", "Behind"),
    "state_no_data": ("Chưa có dữ liệu", "No data"),
    "freshness_title": ("Dữ liệu của từng đơn vị", "Each unit's data"),
    "freshness_caption": (
        "Ngày dữ liệu là thời điểm mới nhất thấy trong hồ sơ của đơn vị. Hồ sơ đang xử lý chỉ tính quá hạn "
        "đến ngày này (hoặc ngày đơn vị hết hiệu lực).",
        "A unit's data date is the newest timestamp in its dossiers. Open dossiers are counted overdue only "
        "up to it (or to the day the unit ended).",
    ),
    "units_view": ("Cách tính theo đơn vị", "Units"),
    "units_view_help": (
        "Sau sắp xếp đơn vị hành chính ngày 01/07/2025: xem theo đơn vị như thời điểm đó, hoặc quy về đơn vị hiện nay.",
        "After the 01/07/2025 reorganisation: units as they were, or rolled up to today's units.",
    ),
    "reform_break": ("01/07/2025: chính quyền 2 cấp", "01/07/2025: two-tier government"),
    "stale": (
        "Dữ liệu đã cũ {days} ngày: hãy nhập các tệp xuất mới ở trang Dữ liệu.",
        "Data is {days} days old: load the latest exports on the Data page.",
    ),
    # status
    "status_met": ("Đạt", "Met"),
    "status_near": ("Sát ngưỡng", "Near target"),
    "status_below": ("Chưa đạt", "Below target"),
    "status_none": ("Không có hồ sơ", "No dossiers"),
    "status_no_target": ("Chưa có chỉ tiêu", "No target"),
    "status_history": ("Lịch sử", "History"),
    "legend": (
        "✓ Đạt: bằng hoặc vượt chỉ tiêu · ⚠ Sát ngưỡng: thấp hơn chỉ tiêu dưới {margin} · "
        "✗ Chưa đạt: thấp hơn chỉ tiêu từ {margin} trở lên",
        "✓ Met: at or above target · ⚠ Near target: less than {margin} below · ✗ Below target: {margin} or more below",
    ),
    # overview
    "overview_title": ("Tổng quan chỉ số", "KPI overview"),
    "target": ("Chỉ tiêu", "Target"),
    "gap": ("Chênh lệch", "Gap"),
    "change_prev": ("So với kỳ trước", "vs previous period"),
    "counts": ("{num} / {den} hồ sơ", "{num} / {den} dossiers"),
    "coverage": ("Tỷ lệ phản hồi đánh giá: {pct} ({num}/{den})", "Rating coverage: {pct} ({num}/{den})"),
    "show_counts": ("Số liệu chi tiết", "Counts behind the rates"),
    "below_title": ("Đơn vị chưa đạt chỉ tiêu", "Units below target"),
    "units_below": ("{n} đơn vị chưa đạt ↓", "{n} units below target ↓"),
    "col_late_link": ("Hồ sơ trễ hạn", "Late dossiers"),
    "see_late_short": ("Xem hồ sơ trễ", "See late dossiers"),
    "url_refused": (
        "Liên kết có giá trị không dùng được nên đã bỏ qua: {items}.",
        "Some values of the link could not be used and were ignored: {items}.",
    ),
    "url_refused_item": ("{name} “{value}” (đang dùng: {used})", "{name} “{value}” (using: {used})"),
    "url_used_default": ("mặc định", "the default"),
    "url_unit": ("đơn vị", "unit"),
    "url_tier": ("cấp", "tier"),
    "url_month": ("tháng", "month"),
    "url_quarter": ("quý", "quarter"),
    "url_year": ("năm", "year"),
    "url_from": ("từ ngày", "from"),
    "url_to": ("đến ngày", "to"),
    "url_period": ("loại kỳ", "period kind"),
    "url_ontime": ("cách tính đúng hạn", "on-time definition"),
    "url_unitview": ("cách xem đơn vị", "unit view"),
    "url_lang": ("ngôn ngữ", "language"),
    "url_kind": ("loại trễ hạn", "kind"),
    "url_proc": ("thủ tục", "procedure"),
    "url_field": ("lĩnh vực", "field"),
    "url_channel": ("kênh", "channel"),
    "url_page": ("trang", "page"),
    "url_below": ("chỉ tiêu", "metric"),
    "url_metric": ("chỉ tiêu", "metric"),
    "late_766_vs_list": (
        "Trễ theo chỉ số 766: {n766} hồ sơ; theo cách tính “đã giải quyết trong kỳ”: {nlist}. Chỉ số 766 tính "
        "cả hồ sơ tồn kỳ trước, hồ sơ đang xử lý và hồ sơ bổ sung quá một lần, nên hai số khác nhau theo định "
        "nghĩa. Danh sách hồ sơ trễ hạn theo cách tính đang chọn ở thanh bên.",
        "Late per index 766: {n766} dossiers; per the “resolved in the period” reading: {nlist}. Index 766 also "
        "counts carried-over and open dossiers and those asked for more than one supplement, so the two differ "
        "by definition. The late list follows the reading chosen in the sidebar.",
    ),
    "late_list_definition_766": (
        "Danh sách này theo Bộ chỉ số 766: mọi hồ sơ trong phạm vi 766 không đúng hạn — gồm hồ sơ tồn kỳ trước, "
        "hồ sơ đang xử lý quá hạn và hồ sơ bổ sung quá một lần; tổng số bằng số trễ trên thẻ chỉ số 766.",
        "This list follows index 766: every dossier of its scope that is not on time — carried-over ones, open "
        "and overdue ones, and those asked for more than one supplement; its total is the 766 card's late count.",
    ),
    "late_list_definition": (
        "Danh sách này theo cách tính “đã giải quyết trong kỳ”: hồ sơ giải quyết trong kỳ sau hạn, cộng hồ sơ "
        "đang xử lý đã quá hạn đến cuối kỳ. Thẻ chỉ số 766 tính cả hồ sơ tồn và hồ sơ bổ sung quá một lần, "
        "nên số trễ ở đó có thể lớn hơn.",
        "This list follows the “resolved in the period” reading: dossiers resolved late in the period plus "
        "open dossiers overdue at its end. The index-766 card also counts carried-over dossiers and those "
        "asked for more than one supplement, so its late count can be larger.",
    ),
    "see_766": ("Xem số liệu theo chỉ số 766 →", "See the index-766 figures →"),
    "see_resolved": ("Xem số liệu theo cách tính “đã giải quyết” →", "See the “resolved” figures →"),
    "no_projection_closed": (
        "không dự báo: năm {year} không phải năm đang diễn ra của dữ liệu.",
        "no projection: {year} is not the year the data is in.",
    ),
    "no_projection_abolished": (
        "không dự báo: đơn vị hoặc cấp này không còn đến cuối năm.",
        "no projection: this unit or tier does not exist at the year end.",
    ),
    "partial_month": (
        "{month}*: tháng chưa trọn, số liệu mới đến {until}.",
        "{month}*: a partial month, data up to {until}.",
    ),
    "units_all_met": ("mọi đơn vị đều đạt", "every unit met it"),
    "units_none_rated": (
        "chưa đơn vị nào đủ điều kiện đánh giá",
        "no unit could be rated",
    ),
    "headline_met": (
        "{metric} {rate}: đạt chỉ tiêu {target}, vượt {gap}",
        "{metric} {rate}: meets the {target} target, {gap} above",
    ),
    "headline_below": (
        "{metric} {rate}: chưa đạt chỉ tiêu {target}, thiếu {gap}",
        "{metric} {rate}: below the {target} target, {gap} short",
    ),
    "headline_no_target": (
        "{metric} {rate}: chưa có chỉ tiêu để so sánh",
        "{metric} {rate}: no target to compare with",
    ),
    "headline_none": ("{metric}: chưa có hồ sơ trong kỳ", "{metric}: no dossiers in the period"),
    "below_caption": (
        "Xếp từ đơn vị thấp nhất; cột cuối là số hồ sơ cần thêm để đạt chỉ tiêu.",
        "Worst first; the last column is how many more dossiers would have reached the target.",
    ),
    "none_below": ("Tất cả đơn vị đều đạt chỉ tiêu {metric} trong kỳ.", "Every unit met the {metric} target."),
    "needed_on_time_rate": ("cần thêm {n} hồ sơ đúng hạn", "{n} more on-time dossiers needed"),
    "needed_online_rate": ("cần thêm {n} hồ sơ trực tuyến", "{n} more online dossiers needed"),
    "needed_satisfaction_rate": ("cần thêm {n} đánh giá hài lòng", "{n} more satisfied ratings needed"),
    "needed_generic": ("cần thêm {n} hồ sơ", "{n} more dossiers needed"),
    "see_late": ("Xem hồ sơ trễ hạn →", "See late dossiers →"),
    "see_unit": ("Xem đơn vị →", "Open unit →"),
    "metric": ("Chỉ số", "Metric"),
    "col_counts": ("Đạt / tổng hồ sơ", "Met / all dossiers"),
    "col_needed": ("Cần thêm để đạt", "Needed to reach target"),
    "channel_online": ("Trực tuyến", "Online"),
    "channel_direct": ("Trực tiếp", "In person"),
    "channel_postal": ("Bưu chính công ích", "Postal"),
    "rate": ("Tỷ lệ", "Rate"),
    "status": ("Đánh giá", "Status"),
    "numerator": ("Tử số", "Numerator"),
    "denominator": ("Mẫu số", "Denominator"),
    "trend_12m": ("12 tháng", "12 months"),
    # units
    "ranking_title": ("Xếp hạng đơn vị", "Unit ranking"),
    "rank": ("Hạng", "Rank"),
    "rank_change": ("Thay đổi hạng", "Rank change"),
    "min_dossiers": ("Số hồ sơ tối thiểu để xếp hạng", "Minimum dossiers to rank"),
    "not_ranked": ("Chưa xếp hạng (ít hồ sơ)", "Not ranked (too few dossiers)"),
    "ranking_caption": (
        "Đơn vị có dưới {n} hồ sơ không được xếp hạng để bảo đảm công bằng. Bấm tên đơn vị để mở trang của đơn vị, bấm tiêu đề cột để sắp xếp.",
        "Units with fewer than {n} dossiers are not ranked, to keep it fair. Click a unit's name to open its view, a column header to sort.",
    ),
    "choose_tier_for_ranking": (
        "Đang xếp hạng trong {tier}. Chọn cấp ở thanh bên để đổi.",
        "Ranking within {tier}. Pick a tier in the sidebar to change.",
    ),
    "heatmap_title": ("Bản đồ nhiệt theo tháng", "Heatmap by month"),
    "heatmap_legend": (
        "Màu theo khoảng cách tới chỉ tiêu {target}: cam là thấp hơn, tím là cao hơn; rê chuột vào ô để xem số hồ sơ.",
        "Colour by distance to the target {target}: orange below, purple above; hover a cell for its dossiers.",
    ),
    "unit_view": ("Đơn vị: {name}", "Unit: {name}"),
    "back_to_ranking": ("Về bảng xếp hạng", "Back to the ranking"),
    "unit_procedures": ("Thủ tục có hồ sơ trễ hạn nhiều nhất", "Procedures with the most late dossiers"),
    "unit_trend": ("Diễn biến theo tháng", "Monthly trend"),
    "unit_late": ("Hồ sơ trễ hạn của đơn vị", "The unit's late dossiers"),
    "unit_unknown": (
        "Không tìm thấy đơn vị có mã {code}. Hãy chọn lại ở thanh bên.",
        "No unit has the code {code}. Pick one in the sidebar.",
    ),
    # late
    "late_title": ("Hồ sơ trễ hạn", "Late dossiers"),
    "kind": ("Loại", "Kind"),
    "kind_all": ("Tất cả", "All"),
    "kind_resolved_late": ("Đã giải quyết quá hạn", "Resolved late"),
    "kind_open_overdue": ("Đang xử lý quá hạn", "Open and overdue"),
    "kind_supplements": ("Yêu cầu bổ sung quá một lần (766)", "More than one supplement request (766)"),
    "procedure": ("Thủ tục", "Procedure"),
    "field": ("Lĩnh vực", "Field"),
    "search_procedure": ("Tìm thủ tục (gõ không dấu cũng được)", "Search procedures"),
    "search_field": ("Tìm lĩnh vực, ví dụ: ho tich", "Search fields, e.g. civil status"),
    "search_results": ("{n} kết quả", "{n} results"),
    "channel": ("Kênh nộp", "Channel"),
    "all": ("Tất cả", "All"),
    "days_late_range": ("Số ngày trễ", "Days late"),
    "min_days": ("Trễ từ (ngày)", "Late at least (days)"),
    "max_days": ("Trễ đến (ngày)", "Late at most (days)"),
    "sort_by": ("Sắp xếp theo", "Sort by"),
    "late_filters": ("Lọc và sắp xếp danh sách", "Filter and sort the list"),
    "late_filters_chosen": ("Đang lọc", "Filtered by"),
    "sort_by_column": ("Sắp xếp theo cột {column}", "Sort by {column}"),
    "descending": ("Giảm dần", "Descending"),
    "late_count": ("{n} hồ sơ trễ hạn", "{n} late dossiers"),
    "page_of": ("Trang {page}/{pages}", "Page {page} of {pages}"),
    "pareto_procedure": ("Thủ tục có nhiều hồ sơ trễ nhất", "Pareto by procedure"),
    "pareto_unit": ("Đơn vị có nhiều hồ sơ trễ nhất", "Pareto by unit"),
    "downloads": ("Tải danh sách (CSV, Excel)", "Download the list (CSV, Excel)"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "download_xlsx": ("Tải Excel (XLSX)", "Download Excel (XLSX)"),
    "no_late": ("Không có hồ sơ trễ hạn nào khớp bộ lọc trong kỳ này.", "No late dossier matches these filters."),
    "cumulative_share": ("Tỷ trọng cộng dồn", "Cumulative share"),
    "dossiers": ("Số hồ sơ", "Dossiers"),
    "apology_none": ("Chưa có thư xin lỗi", "No apology"),
    "apology_before_due": ("Xin lỗi trước hạn", "Apology before due"),
    "apology_after_due": ("Xin lỗi sau hạn", "Apology after due"),
    # trends
    "trends_title": ("Xu hướng theo tháng", "Monthly trends"),
    "this_year": ("Năm {year}", "{year}"),
    "last_year": ("Cùng kỳ {year}", "Same months {year}"),
    "projection": ("Dự báo cuối năm", "Year-end projection"),
    "projection_none": (
        "Chưa đủ dữ liệu trong năm để dự báo.",
        "Not enough data this year for a projection.",
    ),
    # data page
    "data_title": ("Dữ liệu", "Data"),
    "upload_pick": ("Chọn tệp", "Choose files"),
    "upload_hint": (
        "Kéo thả tệp vào đây · tối đa {mb} MB mỗi tệp · XLSX, XLS, CSV, JSON",
        "Drag and drop files here · up to {mb} MB per file · XLSX, XLS, CSV, JSON",
    ),
    "upload": ("Nhập tệp xuất (Excel, CSV, JSON)", "Upload exports (Excel, CSV, JSON)"),
    "upload_button": ("Nhập dữ liệu", "Import"),
    "upload_readonly": (
        "Cơ sở dữ liệu đang mở chỉ đọc: hãy nhập bằng lệnh `python -m metrics ingest <tệp>`.",
        "The database is open read-only: import with `python -m metrics ingest <file>`.",
    ),
    "importing": ("Đang nhập {name} ({i}/{n})…", "Importing {name} ({i}/{n})…"),
    "import_done": ("Đã nhập xong {n} tệp.", "Imported {n} files."),
    "import_failed": ("Không đọc được {name}: {msg}", "Could not read {name}: {msg}"),
    "import_error": (
        "Nhập {name} không thành công. Tệp có thể đang hỏng hoặc cơ sở dữ liệu đang bận; hãy thử lại.",
        "Importing {name} failed. The file may be damaged or the database busy; try again.",
    ),
    "import_history": ("Lịch sử nhập", "Import history"),
    "database": ("Tệp cơ sở dữ liệu", "Database file"),
    "quality": ("Sổ theo dõi chất lượng dữ liệu", "Data-quality ledger"),
    "quarantine": ("Dòng bị cách ly và lý do", "Quarantined rows and reasons"),
    "history_open": ("Xem {n} lần nhập", "Show {n} imports"),
    "quarantine_open": ("Xem {n} dòng bị cách ly", "Show {n} quarantined rows"),
    "freshness_open": ("Xem {n} đơn vị ({behind} chậm cập nhật)", "Show {n} units ({behind} behind)"),
    "targets": ("Chỉ tiêu đang áp dụng", "Targets in force"),
    "nothing_yet": ("Chưa có.", "Nothing yet."),
    "quality_clean": ("Không phát hiện lỗi dữ liệu nào.", "No data-quality issue found."),
    # empty states and errors
    "welcome_title": ("Chào mừng! Cơ sở dữ liệu chưa có hồ sơ nào.", "Welcome! The database has no dossiers yet."),
    "welcome_body": (
        "Để bắt đầu, chọn một trong ba cách:\n\n"
        "1. **Dữ liệu mẫu**: chạy `make run` (tự tạo dữ liệu mẫu nếu chưa có) hoặc "
        "`python -m metrics demo --dossiers 20000` rồi tải lại trang.\n"
        "2. **Tệp xuất thật**: vào trang **Dữ liệu** và tải lên các tệp Excel, CSV hoặc JSON "
        "xuất từ hệ thống một cửa.\n"
        "3. **Dòng lệnh**: `python -m metrics ingest <tệp …>`.",
        "To begin, pick one of three ways:\n\n"
        "1. **Demo data**: run `make run` (it builds the demo when missing) or "
        "`python -m metrics demo --dossiers 20000`, then reload.\n"
        "2. **Real exports**: open the **Data** page and upload the Excel, CSV or JSON files "
        "exported by the one-stop system.\n"
        "3. **Command line**: `python -m metrics ingest <file …>`.",
    ),
    "db_in_use": ("Cơ sở dữ liệu đang dùng: `{db}`", "Database in use: `{db}`"),
    "empty_period": (
        "Không có hồ sơ nào trong kỳ {period} với bộ lọc đang chọn. Hãy chọn kỳ khác hoặc bỏ bớt bộ lọc.",
        "No dossiers in {period} with these filters. Pick another period or clear a filter.",
    ),
    "error_generic": (
        "Đã có lỗi khi tính số liệu. Hãy tải lại trang; nếu lỗi còn, báo cho quản trị viên (mã lỗi: {ref}).",
        "Something went wrong computing the figures. Reload; if it persists, tell the administrator (ref {ref}).",
    ),
    "db_unavailable": (
        "Không mở được cơ sở dữ liệu. Hãy đợi một lát rồi tải lại trang; nếu lỗi còn, báo cho quản trị viên.",
        "Cannot open the database. Wait a moment and reload; if it persists, tell the administrator.",
    ),
    "db_busy": (
        "Dữ liệu đang được cập nhật (một lượt nhập đang chạy). Hãy tải lại trang sau ít phút để xem số liệu mới.",
        "The data is being updated (an import is running). Reload in a few minutes to see the new figures.",
    ),
    "upload_too_big": (
        "Tệp {name} lớn hơn giới hạn {limit} MB nên không được nhập.",
        "{name} is larger than the {limit} MB limit, so it was not imported.",
    ),
    # ahead of the clock (issue 13): due soon, late budget, 766 scores
    "due_soon_title": ("Sắp quá hạn", "Due soon"),
    "due_soon_count": ("{n} hồ sơ sắp quá hạn", "{n} dossiers due soon"),
    "due_soon_caption": (
        "Hồ sơ đang xử lý có hạn trả trong vòng {days} ngày làm việc kể từ ngày dữ liệu của từng đơn vị "
        "(không tính thứ Bảy, Chủ nhật, ngày lễ). Hạn trả đúng ngày dữ liệu: còn 0 ngày.",
        "Open dossiers due within {days} working days of each unit's data date (weekends and public "
        "holidays not counted). Due on the data date itself: 0 days left.",
    ),
    "due_soon_link": ("Xem danh sách sắp quá hạn", "See the due-soon list"),
    "due_soon_none": ("Không có hồ sơ nào sắp quá hạn.", "No dossier is due soon."),
    "due_soon_days": ("Còn tối đa (ngày làm việc)", "At most (working days left)"),
    "late_view": ("Danh sách", "List"),
    "late_view_late": ("Đã trễ hạn", "Late"),
    "late_view_due_soon": ("Sắp quá hạn", "Due soon"),
    "col_dossier": ("Mã hồ sơ", "Dossier code"),
    "col_due": ("Hẹn trả", "Due"),
    "col_days_left": ("Còn (ngày làm việc)", "Working days left"),
    "col_supplement": ("Đang chờ bổ sung", "Waiting for papers"),
    "yes": ("Có", "Yes"),
    "download_worklist": ("Tải danh sách việc theo đơn vị (.xlsx)", "Download the worklist per unit (.xlsx)"),
    "budget_title": ("Gần chạm giới hạn trễ hạn", "Closest to their late limit"),
    "budget_caption": (
        "Số hồ sơ còn được phép trễ trong {period} để cả kỳ vẫn đạt {target} (đúng hạn: {definition}). "
        "Số hồ sơ còn về từ nay đến cuối kỳ được ước tính từ cùng kỳ năm trước, nhân với mức tăng của năm nay "
        "tính đến {as_of}.",
        "How many more dossiers may be late in {period} with the period still ending at {target} (on time: "
        "{definition}). The volume still to come is estimated from the same months last year, scaled by this "
        "year's growth up to {as_of}.",
    ),
    "budget_col": ("Được trễ thêm ({period})", "More lates allowed ({period})"),
    "budget_left": ("còn được trễ {n}", "{n} more allowed"),
    "budget_failed": ("không còn đạt được trong kỳ", "cannot reach the target this period"),
    "budget_needed": ("cần {n} hồ sơ đúng hạn để đạt lại", "needs {n} on-time resolutions to get back"),
    "budget_no_data": ("chưa có dữ liệu", "no data"),
    "budget_no_target": ("không có chỉ tiêu", "no target"),
    "budget_expected": ("dự kiến còn {n} hồ sơ ({basis})", "about {n} more dossiers ({basis})"),
    "budget_basis_last_year": ("theo cùng kỳ năm trước", "from the same months last year"),
    "budget_basis_pace": ("theo nhịp năm nay, năm trước không có số liệu", "at this year's pace, no data last year"),
    "budget_sentence": (
        "{unit} chỉ còn được phép trễ tối đa {n} hồ sơ trong {period} để giữ mức {target}.",
        "{unit} may have at most {n} more late dossiers in {period} to hold {target}.",
    ),
    "budget_period_year": ("năm {year}", "{year}"),
    "budget_span": ("Hạn mức trễ hạn tính cho", "Late budget for"),
    "official_title": ("Điểm chính thức và điểm ước tính", "Official scores and our estimate"),
    "official_none": (
        "Chưa có điểm chính thức của đơn vị này. Nhập bảng điểm Bộ chỉ số 766 từ Cổng DVCQG hoặc tệp chỉ số "
        "(PAR INDEX, SIPAS) ở trang Dữ liệu.",
        "No official score for this unit yet. Import the national portal's 766 table or an indices file "
        "(PAR INDEX, SIPAS) on the Data page.",
    ),
    "official_score": ("{score} điểm, xếp thứ {rank}/{of}", "{score} points, ranked {rank}/{of}"),
    "official_score_only": ("{score} điểm", "{score} points"),
    "rank_up": ("tăng {n} bậc so với năm {year}", "up {n} places on {year}"),
    "rank_down": ("giảm {n} bậc so với năm {year}", "down {n} places on {year}"),
    "rank_same": ("giữ thứ hạng của năm {year}", "same rank as in {year}"),
    "estimate_line": (
        "Ước tính từ hồ sơ năm {year}: {points}/{covered} điểm (tiến độ {tien_do}/20, hồ sơ trực tuyến "
        "{online}/6); chưa tính {left} điểm (công khai, thanh toán, hài lòng, số hóa). {label}.",
        "Estimated from {year}'s dossiers: {points}/{covered} points (progress {tien_do}/20, online dossiers "
        "{online}/6); {left} points not covered (publicity, payment, satisfaction, digitisation). {label}.",
    ),
    "estimate_vendor": (
        "Điểm hồ sơ trực tuyến theo trọng số phụ do một nhà cung cấp công bố, không phải trọng số chính thức.",
        "Online-dossier points use one vendor's published sub-weights, not official weights.",
    ),
    "estimate_compare": (
        "Tiến độ giải quyết (TDGQ): Cổng {official}/20, ước tính {ours}/20 — {verdict}.",
        "Progress (TDGQ): portal {official}/20, our estimate {ours}/20 — {verdict}.",
    ),
    "verdict_agree": ("khớp nhau", "they agree"),
    "verdict_disagree": (
        "lệch {d} điểm: hãy đối chiếu phạm vi hồ sơ và ngày chốt số liệu",
        "{d} points apart: check the dossiers in scope and the cut-off date",
    ),
    "estimate_none": ("Không có hồ sơ để ước tính điểm năm {year}.", "No dossiers to estimate {year}'s score."),
    "tier_all": ("Toàn tỉnh", "Whole province"),
    "tier_none": ("Chưa rõ cấp", "Unknown tier"),
}


def use(code: str) -> None:
    """Fix the language for the rest of this script run (read thousands of times a run;
    session state is slow to read)."""
    _run.lang = code if code in LANGS else "vi"


def lang() -> str:
    value = getattr(_run, "lang", None)
    if value is None:
        value = st.session_state.get("lang", "vi")
    return value if value in LANGS else "vi"


def t(key: str, **kwargs: object) -> str:
    """The text for key in the current language, with {placeholders} filled."""
    vi, en = STRINGS[key]
    text = en if lang() == "en" else vi
    return text.format(**kwargs) if kwargs else text


def tier_label(tier: str | None) -> str:
    if tier is None or tier != tier:  # None or NaN
        return t("tier_none")
    return registry.tier_label(tier, lang())


def labeller(options, label) -> Callable[[object], str]:
    """A widget's format_func with every label written now, in this run's language: the
    labels do not depend on when (or in which thread) Streamlit calls it."""
    table = {option: label(option) for option in options}
    return lambda option: table.get(option, str(option))
