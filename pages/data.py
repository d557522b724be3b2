"""Dữ liệu: load exports, and see what was loaded, what was rejected and why, and the
targets the rates are judged against. Uploading needs the data or admin role; the import
history, the quarantine and the database path are for admins (docs/security.md)."""

import datetime as dt

import streamlit as st

from ui import auth, data, datapage, shell
from ui.i18n import t

shell.ensure_entry()
grant = auth.current()
st.title(t("data_title"))
datapage.upload()
datapage.freshness(data.freshness())
if grant.is_admin:
    datapage.history(data.import_history())
datapage.quality(data.quality())
today = dt.date.today()
datapage.targets(data.targets_in_force(today), today)
if grant.is_admin:
    datapage.quarantine(data.quarantine_rows(limit=1000))
    datapage.database(data.db_path())
