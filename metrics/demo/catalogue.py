"""The demo province as data: its units (effective-dated), its procedures, who handles
each procedure, and how big each unit is.

The province is Hà Tĩnh. Until 30/06/2025 it has three tiers: provincial departments,
13 districts and their communes. From 01/07/2025 (registry.DISTRICT_TIER_END) the
districts are gone and groups of old communes form new communes with new codes; the
catalogue (data/units.csv) says so with valid_from, valid_to and successor_code, and
the generator reads it rather than knowing the reform itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from metrics.paths import DATA_DIR
from metrics.registry import DISTRICT_TIER_END, TIERS

UNITS_CSV = DATA_DIR / "units.csv"
PROCEDURES_CSV = DATA_DIR / "procedures.csv"
PROVINCE_VI = "Hà Tĩnh"

# The registry lists tiers from the province down: its departments, the districts
# (abolished after DISTRICT_TIER_END), the communes.
PROVINCE_TIER, DISTRICT_TIER, COMMUNE_TIER = (t.code for t in sorted(TIERS, key=lambda t: t.order))
REFORM_DAY = DISTRICT_TIER_END + dt.timedelta(days=1)

# Share of all dossiers by tier: communes carry civil status and certification, the
# bulk of what citizens file; departments fewer but larger files. Without districts,
# their share goes to the communes, apart from the few procedures the province took.
TIER_SHARES = {PROVINCE_TIER: 0.30, DISTRICT_TIER: 0.25, COMMUNE_TIER: 0.45}
DISTRICT_SHARE_TO_PROVINCE = 0.12

# The province as a whole sits a little above its plan (80/40/30), so the dashboard
# shows a mix of units meeting and missing the target rather than everyone failing.
ONLINE_LEVEL = {PROVINCE_TIER: 0.82, DISTRICT_TIER: 0.43, COMMUNE_TIER: 0.33}

# Relative volume of each department (unit code -> weight): land registration,
# driving licences, unemployment benefit and criminal records dominate a province.
DEPARTMENT_WEIGHTS: dict[str, float] = {
    "000.00.02.H56": 1.0,  # Sở Nội vụ
    "000.00.03.H56": 7.0,  # Sở Kế hoạch và Đầu tư
    "000.00.04.H56": 0.8,  # Sở Tài chính
    "000.00.05.H56": 2.5,  # Sở Công Thương
    "000.00.06.H56": 8.0,  # Sở Tư pháp
    "000.00.07.H56": 1.2,  # Sở Xây dựng
    "000.00.08.H56": 12.0,  # Sở Giao thông vận tải
    "000.00.09.H56": 18.0,  # Sở Tài nguyên và Môi trường
    "000.00.10.H56": 2.0,  # Sở Nông nghiệp và Phát triển nông thôn
    "000.00.11.H56": 9.0,  # Sở Lao động - Thương binh và Xã hội
    "000.00.12.H56": 0.6,  # Sở Văn hóa, Thể thao và Du lịch
    "000.00.13.H56": 0.3,  # Sở Khoa học và Công nghệ
    "000.00.14.H56": 1.5,  # Sở Giáo dục và Đào tạo
    "000.00.15.H56": 2.5,  # Sở Y tế
    "000.00.16.H56": 0.2,  # Sở Thông tin và Truyền thông
    "000.00.17.H56": 0.6,  # Ban Quản lý Khu kinh tế tỉnh
    "000.00.18.H56": 5.0,  # Công an tỉnh
    "000.00.19.H56": 0.15,  # Sở Ngoại vụ
}

# Departments whose online share is known to sit far from the average: business
# registration is almost entirely online, land registration mostly at the desk.
DEPARTMENT_ONLINE_BIAS: dict[str, float] = {
    "000.00.03.H56": 2.5,
    "000.00.09.H56": -1.6,
    "000.00.07.H56": -1.0,
    "000.00.18.H56": 1.0,
}
# ... and whose lateness does: land files are the classic late dossiers.
DEPARTMENT_LATE: dict[str, float] = {"000.00.09.H56": 0.06, "000.00.07.H56": 0.05}

# District scale: the provincial city and the industrial town are the busiest.
DISTRICT_SCALE: dict[str, float] = {
    "000.00.31.H56": 1.8,
    "000.00.33.H56": 1.4,
    "000.00.32.H56": 0.8,
    "000.00.36.H56": 0.6,
}

_C, _D = COMMUNE_TIER, DISTRICT_TIER
# Who handles each procedure, its legal processing time in working days (0: within the
# day) and its relative volume among the procedures of that handler. Handlers are a
# tier (communes, districts) or a department's unit code.
PROCEDURE_PLAN: tuple[tuple[str, tuple[str, ...], int, float], ...] = (
    ("1.001193", (_C,), 0, 10.0),
    ("1.000894", (_C,), 1, 3.0),
    ("1.000656", (_C,), 0, 4.0),
    ("1.004873", (_C,), 3, 5.0),
    ("1.001022", (_C,), 3, 0.5),
    ("1.000689", (_C,), 3, 0.4),
    ("1.004884", (_C,), 5, 0.6),
    ("1.004746", (_C,), 5, 0.2),
    ("1.005461", (_C,), 5, 0.2),
    ("1.004859", (_C,), 3, 1.0),
    ("2.000635", (_C,), 0, 6.0),
    ("1.001766", (_D,), 0, 1.0),
    ("2.000528", (_D,), 3, 0.3),
    ("2.000806", (_D,), 10, 0.3),
    ("2.000815", (_C, _D), 0, 20.0),
    ("2.000884", (_C, _D), 0, 5.0),
    ("2.001035", (_C, _D), 2, 3.0),
    ("2.000942", (_C,), 2, 0.5),
    ("2.000908", (_D,), 0, 1.0),
    ("1.001699", (_C,), 25, 0.6),
    ("1.001653", (_C,), 5, 0.3),
    ("1.001776", (_D,), 20, 1.5),
    ("1.011606", (_C,), 10, 0.3),
    ("1.010803", (_D,), 12, 0.3),
    ("1.001612", (_D,), 3, 5.0),
    ("2.000720", (_D,), 3, 2.0),
    ("1.001570", (_D,), 3, 0.6),
    ("1.001266", (_D,), 3, 0.6),
    ("2.000575", (_D,), 3, 0.2),
    ("1.013225", (_D,), 15, 4.0),
    ("1.013226", (_D,), 15, 0.3),
    ("1.013227", (_D,), 5, 0.2),
    ("1.012753", (_D, "000.00.09.H56"), 20, 3.0),
    ("1.004227", (_D, "000.00.09.H56"), 10, 8.0),
    ("1.002273", ("000.00.09.H56",), 7, 3.0),
    ("1.005095", (_D,), 3, 0.6),
    ("2.001417", ("000.00.06.H56",), 10, 10.0),
    ("2.000789", ("000.00.06.H56",), 10, 0.1),
    ("2.001610", ("000.00.03.H56",), 3, 1.0),
    ("2.002040", ("000.00.03.H56",), 3, 3.0),
    ("2.002041", ("000.00.03.H56",), 3, 1.5),
    ("2.002043", ("000.00.03.H56",), 3, 4.0),
    ("1.005137", ("000.00.03.H56",), 3, 1.5),
    ("1.009645", ("000.00.03.H56",), 35, 0.05),
    ("1.009789", ("000.00.09.H56",), 30, 0.05),
    ("1.004253", ("000.00.09.H56",), 30, 0.05),
    ("1.002809", ("000.00.08.H56",), 5, 10.0),
    ("1.002820", ("000.00.08.H56",), 10, 1.0),
    ("1.002856", ("000.00.08.H56",), 2, 2.0),
    ("1.002861", ("000.00.08.H56",), 5, 0.5),
    ("1.001978", ("000.00.11.H56",), 20, 8.0),
    ("1.000401", ("000.00.11.H56",), 2, 1.0),
    ("1.014199", ("000.00.11.H56", "000.00.17.H56"), 5, 0.5),
    ("1.004516", ("000.00.15.H56",), 20, 1.0),
    ("1.002952", ("000.00.15.H56",), 20, 0.6),
    ("1.003013", ("000.00.15.H56", "000.00.10.H56"), 15, 0.4),
    ("2.001914", ("000.00.14.H56",), 1, 1.0),
    ("1.005092", ("000.00.14.H56",), 5, 0.4),
    ("1.009974", ("000.00.07.H56",), 20, 0.3),
    ("1.009982", ("000.00.07.H56",), 20, 0.5),
    ("2.000221", ("000.00.13.H56",), 5, 0.1),
    ("1.000364", ("000.00.05.H56",), 15, 0.3),
    ("2.000033", ("000.00.05.H56",), 5, 3.0),
    ("1.003695", ("000.00.10.H56",), 1, 1.5),
    ("1.001009", ("000.00.12.H56",), 10, 0.2),
    ("1.009399", ("000.00.12.H56",), 5, 0.3),
    ("1.005410", ("000.00.04.H56",), 2, 1.0),
    ("1.000775", ("000.00.02.H56",), 20, 1.0),
    ("1.003918", ("000.00.02.H56",), 30, 0.1),
    ("1.004423", ("000.00.16.H56",), 10, 0.1),
    ("1.010946", ("000.00.17.H56",), 15, 0.2),
    ("2.002252", ("000.00.18.H56",), 8, 3.0),
    ("1.010584", ("000.00.18.H56",), 2, 2.0),
    ("1.010015", ("000.00.19.H56",), 10, 0.1),
)

# Where a district's procedure goes once districts are gone: to the communes, except
# the land transfers (the provincial land registration office) and the martyrs'
# worship allowance (the Department of Home Affairs, which took over social policy).
MOVED_TO_PROVINCE: dict[str, str] = {"1.004227": "000.00.09.H56", "1.010803": "000.00.02.H56"}


def load_units(path: Path = UNITS_CSV) -> pd.DataFrame:
    """The units catalogue, all text: unit_code, unit_name, tier, valid_from, valid_to,
    successor_code (blank valid_to: still exists; blank successor: none)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def load_procedures(path: Path = PROCEDURES_CSV) -> pd.DataFrame:
    """The procedures catalogue; read as text so codes like 1.000400 keep their zeros."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def day_numbers(dates: pd.Series, blank: dt.date) -> np.ndarray:
    """ISO date strings as day numbers since 1970; a blank one stands for `blank`."""
    filled = dates.where(dates != "", blank.isoformat())
    return pd.to_datetime(filled).to_numpy().astype("datetime64[D]").astype(np.int64)


def handlers_in_force(handlers: tuple[str, ...], code: str, districts_exist: bool) -> tuple[str, ...]:
    """The handlers of a procedure in an era: a district's share moves to the communes
    (or to a department) once districts are gone."""
    if districts_exist:
        return handlers
    moved = tuple(MOVED_TO_PROVINCE.get(code, COMMUNE_TIER) if h == DISTRICT_TIER else h for h in handlers)
    return tuple(dict.fromkeys(moved))
