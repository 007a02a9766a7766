"""Texts of the inspector console (zh-CN, en), added to the shared message table, and the
template filters its pages use for times and durations (shown in Jinkouhe's time)."""

from datetime import datetime

from api.i18n import add_messages
from api.pages import environment
from schemas.time_bounds import in_district_time

INSPECT_MESSAGES: dict[str, tuple[str, str]] = {
    "inspector_console": ("监管检查工作台", "Inspector console"),
    "nav_search": ("批次查询", "Batch search"),
    "nav_alarms": ("报警", "Alarms"),
    "nav_audit": ("操作记录", "Audit trail"),
    "received_from": ("收货日期自", "Received from"),
    "received_to": ("至", "to"),
    "any": ("全部", "Any"),
    "search": ("查询", "Search"),
    "verdict_held": ("冷链完好", "Cold chain held"),
    "verdict_excursions": ("温度超标", "Excursions"),
    "verdict_gaps": ("记录缺失", "Gaps in the record"),
    "verdict_no_data": ("无温度记录", "No readings"),
    "verdict_no_profile": ("无储存要求", "No storage profile"),
    "location_now": ("当前位置", "Where now"),
    "recalled": ("已召回", "Recalled"),
    "no_results": ("没有匹配的批次", "No matching batches"),
    "temperature_chart": ("温度曲线", "Temperature history"),
    "storage_band": ("储存温度范围", "Storage band"),
    "chart_legend": (
        "绿色带为储存温度范围，红色为超标时段，灰色为记录缺失；线为均值，浅色为最低至最高。",
        "Green: storage band; red: excursions; grey: gaps; line: mean, shade: min to max.",
    ),
    "no_readings": ("保管期间没有温度记录", "No readings during custody"),
    "findings": ("超标与记录缺失", "Excursions and gaps"),
    "kind_excursion": ("温度超标", "Excursion"),
    "kind_gap": ("记录缺失", "Gap"),
    "start": ("开始", "Start"),
    "end": ("结束", "End"),
    "duration": ("持续", "Duration"),
    "peak": ("峰值", "Peak"),
    "device": ("设备", "Device"),
    "no_findings": ("未发现超标或记录缺失", "No excursions or gaps"),
    "devices": ("设备与校准", "Devices and calibration"),
    "calibration_due": ("校准到期", "Calibration due"),
    "calibration_overdue": ("校准已过期", "Calibration overdue"),
    "calibration_ok": ("校准有效", "Calibrated"),
    "never_calibrated": ("无校准记录", "No calibration on record"),
    "timeline": ("事件记录", "Event timeline"),
    "exports": ("导出", "Exports"),
    "open_alarms": ("未关闭的报警", "Open alarms"),
    "alarm_excursion": ("温度超标", "Out of band"),
    "alarm_silence": ("设备无信号", "Device silent"),
    "started": ("开始于", "Started"),
    "acknowledge": ("确认", "Acknowledge"),
    "comment": ("处理说明", "What was done"),
    "acknowledged": ("已确认", "Acknowledged"),
    "no_alarms": ("当前没有报警", "No open alarms"),
    "batches_there": ("该处批次", "Batches there"),
    "audit_trail": ("操作记录", "Audit trail"),
    "when": ("时间", "When"),
    "who": ("操作人", "Who"),
    "action": ("操作", "Action"),
    "object": ("对象", "Object"),
    "details": ("详情", "Details"),
    "filter": ("筛选", "Filter"),
    "recall_reason": ("召回原因", "Recall reason"),
    "recall": ("召回", "Recall"),
    "recall_explained": (
        "召回本批次及由其分出、合并而成的全部批次；所有公开页面立即显示。",
        "Recalls this batch and every batch split or merged from it;"
        " every public page shows it at once.",
    ),
    "json_twin": ("JSON 数据", "As JSON"),
}
add_messages(INSPECT_MESSAGES)


def localtime(value: datetime | None) -> str:
    if value is None:
        return "—"
    return in_district_time(value).strftime("%Y-%m-%d %H:%M")


def duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


environment.filters.setdefault("localtime", localtime)
environment.filters.setdefault("duration", duration)
