"""Dữ liệu: load exports, and see what was loaded, what was rejected and why, and the
targets the rates are judged against."""

import datetime as dt

import streamlit as st

from ui import data, datapage, shell
from ui.i18n import t

shell.ensure_entry()
st.title(t("data_title"))
datapage.upload()
datapage.freshness(data.freshness())
datapage.history(data.import_history())
datapage.quality(data.quality())
today = dt.date.today()
datapage.targets(data.targets_in_force(today), today)
datapage.quarantine(data.quarantine_rows(limit=1000))
