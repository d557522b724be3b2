"""The presentation slides' stylesheet: a dark ground for a projector, every size in
container units so a slide scales with the screen, and none smaller than 18 pt of a
13.333-inch slide (titles 28 pt or more), the sizes the PowerPoint deck uses."""

from __future__ import annotations

from metrics.reports.style import SLIDE_ACCENT as ACCENT
from metrics.reports.style import SLIDE_BG as BG
from metrics.reports.style import SLIDE_FG as FG
from metrics.reports.style import SLIDE_MIN_PT, SLIDE_TITLE_PT, cqw
from metrics.reports.style import SLIDE_SOFT as SOFT
from metrics.reports.style import SLIDE_TARGET as TARGET


def _pt(points: float) -> str:
    return cqw(points)


MIN = _pt(SLIDE_MIN_PT)  # 18 pt: nothing on a projected slide is smaller
CSS = f"""
<style>
.cchc-slide {{
  container-type: inline-size; position: relative; box-sizing: border-box; width: 100%;
  aspect-ratio: 16 / 9; overflow: hidden; background: {BG}; color: {FG};
  font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; border-radius: 6px;
  padding: 2.2cqw 3.2cqw 4.2cqw 3.2cqw; line-height: 1.2; font-size: {MIN};
}}
.cchc-slide h1 {{ font-size: {_pt(SLIDE_TITLE_PT)}; margin: 0 0 .3cqw 0; color: {FG}; font-weight: 700; line-height: 1.15;
  padding: 0; }}
.cchc-slide .sub {{ font-size: {MIN}; color: {SOFT}; margin-bottom: 1.2cqw; }}
.cchc-slide .foot {{ position: absolute; left: 3.2cqw; right: 3.2cqw; bottom: 1cqw; font-size: {MIN};
  color: {SOFT}; display: flex; justify-content: space-between; gap: 2cqw; white-space: nowrap; }}
.cchc-slide .foot span:first-child {{ overflow: hidden; text-overflow: ellipsis; }}
.cchc-title {{ display: flex; flex-direction: column; justify-content: center; height: 100%; }}
.cchc-title .owner {{ font-size: {_pt(22)}; font-weight: 700; color: {SOFT}; text-transform: uppercase; }}
.cchc-title .big {{ font-size: {_pt(36)}; font-weight: 700; line-height: 1.15; margin-top: .8cqw; }}
.cchc-title .bar {{ width: 12cqw; height: .6cqw; background: {ACCENT}; margin: 1.4cqw 0; }}
.cchc-title .meeting {{ font-size: {_pt(24)}; }}
.cchc-title .scope {{ font-size: {_pt(32)}; font-weight: 700; color: {ACCENT}; margin-top: .6cqw; }}
.cchc-title .period {{ font-size: {_pt(26)}; margin-top: .4cqw; }}
.cchc-title .asof {{ font-size: {MIN}; color: {SOFT}; margin-top: .8cqw; }}
.cchc-title .warn {{ font-size: {_pt(20)}; font-weight: 700; color: #FFE8A3; background: #5C3B00;
  border: 2px solid {ACCENT}; border-radius: 4px; padding: .8cqw 1.2cqw; margin-top: 1.2cqw; }}
.cchc-title .plan {{ font-size: {MIN}; color: {SOFT}; margin-top: 1cqw; }}
.cchc-kpi {{ display: grid; grid-template-columns: 34% 1fr; gap: 1.6cqw; }}
.cchc-cards {{ display: flex; flex-direction: column; gap: .6cqw; }}
.cchc-card {{ background: rgba(255,255,255,.07); border-left: .8cqw solid {SOFT}; border-radius: 4px;
  padding: .3cqw 1cqw; display: grid; grid-template-columns: 1fr auto; align-items: center; }}
.cchc-card .lbl {{ font-size: {MIN}; font-weight: 700; }}
.cchc-card .st {{ font-size: {MIN}; font-weight: 700; }}
.cchc-card .rate {{ font-size: {_pt(32)}; font-weight: 700; line-height: 1.05; }}
.cchc-chart img {{ width: 100%; height: auto; display: block; }}
.cchc-legend {{ font-size: {MIN}; color: {SOFT}; display: flex; flex-wrap: wrap; gap: .2cqw 1.6cqw; margin-top: .2cqw; }}
.cchc-legend i {{ display: inline-block; width: 2.4cqw; height: 0; border-top: .35cqw solid; vertical-align: middle;
  margin-right: .5cqw; }}
.cchc-legend i.dash {{ border-top-style: dashed; }}
.cchc-table {{ width: 100%; border-collapse: collapse; font-size: {MIN}; color: {FG}; }}
.cchc-table th {{ text-align: left; color: {ACCENT}; border-bottom: .2cqw solid {ACCENT}; padding: .25cqw .5cqw;
  font-weight: 700; }}
.cchc-table td {{ padding: .12cqw .5cqw; border-bottom: 1px solid rgba(255,255,255,.15); }}
.cchc-table td.s {{ white-space: nowrap; }}
.cchc-table td.n, .cchc-table th.n {{ text-align: right; white-space: nowrap; }}
.cchc-table tr.gap td {{ color: {SOFT}; font-style: italic; }}
.cchc-table tr.me td {{ background: rgba(255,209,102,.18); }}
.cchc-table tr.below td {{ background: rgba(255,107,107,.16); }}
.cchc-table tr.line td {{ color: {TARGET}; font-weight: 700; border-top: .3cqw dashed {TARGET};
  border-bottom: .3cqw dashed {TARGET}; }}
.cchc-table tr.hist td {{ color: {SOFT}; }}
.cchc-kpi-table {{ margin-top: .6cqw; }}
.cchc-slide p.note {{ font-size: {MIN}; color: {SOFT}; margin: 1cqw 0 0 0; }}
.cchc-b06 {{ width: 100%; border-collapse: collapse; font-size: {MIN}; table-layout: fixed; color: {FG};
  font-family: "Arial Narrow", "Liberation Sans Narrow", "DejaVu Sans Condensed", "Roboto Condensed", sans-serif;
  font-stretch: condensed; }}
.cchc-b06 th {{ color: {ACCENT}; border: 1px solid rgba(255,255,255,.3); padding: .15cqw .2cqw; font-weight: 700;
  text-align: center; line-height: 1.05; }}
.cchc-b06 td {{ border: 1px solid rgba(255,255,255,.18); padding: .1cqw .25cqw; text-align: right;
  white-space: nowrap; line-height: 1.1; }}
.cchc-b06 td:first-child {{ text-align: left; white-space: normal; }}
.cchc-b06 tr.total td {{ font-weight: 700; background: rgba(255,209,102,.16); }}
.cchc-b06 tr.tier td {{ font-weight: 700; background: rgba(255,255,255,.08); }}
.cchc-b06 tr.hist td {{ color: {SOFT}; }}
.cchc-late {{ display: grid; grid-template-columns: 28% 1fr; gap: 2.4cqw; }}
.cchc-num {{ background: rgba(255,255,255,.07); border-radius: 4px; padding: .6cqw 1.2cqw; margin-bottom: .8cqw; }}
.cchc-num .lbl {{ font-size: {MIN}; color: {SOFT}; }}
.cchc-num .v {{ font-size: {_pt(34)}; font-weight: 700; }}
.cchc-bars .row {{ display: grid; grid-template-columns: 50% 1fr; gap: 1cqw; align-items: center; margin: .4cqw 0; }}
.cchc-bars .name {{ font-size: {MIN}; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }}
.cchc-bars .bar {{ background: {TARGET}; height: 1.9cqw; border-radius: 2px; }}
.cchc-bars .val {{ font-size: {MIN}; font-weight: 700; white-space: nowrap; }}
.cchc-bars h3 {{ font-size: {_pt(20)}; margin: 0 0 .6cqw 0; color: {ACCENT}; }}
.cchc-points {{ font-size: {_pt(22)}; line-height: 1.3; margin: 0; padding-left: 2.4cqw; }}
.cchc-points li {{ margin-bottom: 1.1cqw; }}
.cchc-empty {{ display: flex; flex-direction: column; justify-content: center; align-items: center; height: 75%;
  text-align: center; }}
.cchc-empty .big {{ font-size: {_pt(40)}; font-weight: 700; color: {ACCENT}; }}
.cchc-empty p {{ font-size: {_pt(22)}; color: {SOFT}; }}
</style>
"""
