"""Texts of the staff console (zh-CN, en); ``api.pages`` registers them."""

STAFF_MESSAGES: dict[str, tuple[str, str]] = {
    "receive_lot": ("收货登记", "Receive a lot"),
    "recent_batches": ("最近批次", "Recent batches"),
    "find_lot": ("查找批次", "Find a batch"),
    "grade": ("等级", "Grade"),
    "unit": ("单位", "Unit"),
    "village": ("村服务点", "Village point"),
    "harvest_date": ("采收日期", "Harvest date"),
    "harvest_lot": ("采收批", "Harvest lot"),
    "add_harvest_lot": ("第二个采收批（可选）", "Second harvest lot (optional)"),
    "submit": ("提交", "Submit"),
    "record_step": ("记录加工步骤", "Record a step"),
    "operator": ("操作人", "Operator"),
    "notes": ("备注", "Notes"),
    "media_link": ("照片或视频链接", "Photo or video link"),
    "weight_after": ("处理后重量", "Weight after"),
    "test_results": ("检测结果（仅检测步骤）", "Test results (testing only)"),
    "passed": ("合格", "Pass"),
    "failed": ("不合格", "Fail"),
    "moisture": ("含水率 %", "Moisture %"),
    "lab": ("检测机构", "Lab"),
    "instrument": ("仪器", "Instrument"),
    "residue_substance": ("农药名称", "Pesticide"),
    "residue_value": ("残留量 mg/kg", "Residue mg/kg"),
    "residue_limit": ("限量 mg/kg", "Limit mg/kg"),
    "corrects": ("更正的事件（可选）", "Corrects event (optional)"),
    "none": ("无", "None"),
    "move_custody": ("转移", "Move custody"),
    "to_location": ("转至", "To"),
    "split": ("分批", "Split"),
    "split_quantities": (
        "子批数量（用逗号分隔，如 60,60,60）",
        "Child quantities (comma separated, e.g. 60,60,60)",
    ),
    "labels": ("打印标签", "Print labels"),
    "label_sheet": ("A4 标签页 (PDF)", "A4 sheet (PDF)"),
    "events": ("加工记录", "Processing record"),
    "from": ("自", "From"),
    "until": ("至", "Until"),
    "now": ("至今", "now"),
    "farms": ("溯源到农户", "Traced to farms"),
    "saved": ("已保存", "Saved"),
    "recorded_by": ("记录人", "Recorded by"),
    "no_batches": ("还没有批次", "No batches yet"),
    "open": ("打开", "Open"),
    "form_refused": ("填写有误：", "Please check the form:"),
    # Statuses, in words.
    "status_in_processing": ("加工中", "In processing"),
    "status_ready": ("待售", "Ready for sale"),
    "status_shipped": ("已发运", "Shipped"),
    "status_delivered": ("已送达", "Delivered"),
    "status_consumed": ("已分批/合并", "Made into other batches"),
    "recalled_badge": ("已召回", "Recalled"),
    # Cold-chain state, as the provenance page states it.
    "cold_chain_state": ("冷链状态", "Cold chain"),
    "cc_held": ("全程温度符合要求", "Held its band"),
    "cc_excursions": ("出现温度超标", "Left its band"),
    "cc_gaps": ("温度记录有中断", "Gaps in the record"),
    "cc_no_data": ("暂无温度记录", "No record yet"),
    "cc_no_profile": ("无冷藏要求", "No band required"),
    "cc_pending": ("整理中", "Being evaluated"),
    "see_temperatures": ("查看温度记录", "See the temperature record"),
    # Names of what a step records.
    "field_operator": ("操作人", "Operator"),
    "field_notes": ("备注", "Notes"),
    "field_weight_after": ("处理后重量", "Weight after"),
    "field_duration_minutes": ("时长（分钟）", "Duration (min)"),
    "field_temperature_c": ("温度 °C", "Temperature °C"),
    "field_lab": ("检测机构", "Lab"),
    "field_instrument": ("仪器", "Instrument"),
    "field_standard": ("依据标准", "Standard"),
    "field_moisture_percent": ("含水率 %", "Moisture %"),
    "field_report_url": ("检测报告", "Report"),
    "centre_alarms": ("未关闭的告警", "Open alarms"),
    "no_open_alarms": ("当前没有告警", "No open alarms"),
    "alarm_here": ("本批次所在地点有未关闭的告警", "An alarm is open where this batch is"),
    "alarm_kind_excursion": ("温度超标", "Excursion"),
    "alarm_kind_silence": ("设备无数据", "Device silent"),
    "since": ("起始", "since"),
    "see_alarms": ("查看全部告警", "All alarms"),
    # Mass balance.
    "mass_balance": ("物料平衡", "Mass balance"),
    "harvest_total": ("采收批合计", "Harvest lots total"),
    "children_total": ("子批合计", "Split into, in total"),
    "yield": ("得率", "Yield"),
    "balance_mismatch_flag": ("数量不符", "Does not balance"),
    "receiving_mismatch": (
        "收货数量 {actual:g} 与采收批合计 {expected:g} 不符（相差 {difference:+g}）。"
        "请核对后修改，或勾选“确认数量差异”再提交。",
        "The batch of {actual:g} does not match its harvest lots' {expected:g}"
        " (difference {difference:+g}). Correct it, or tick “Accept the difference” and submit.",
    ),
    "split_mismatch": (
        "子批合计 {actual:g} 与本批次数量 {expected:g} 不符（相差 {difference:+g}）。"
        "请核对后修改，或勾选“确认数量差异”再提交。",
        "The children's {actual:g} do not add up to the batch's {expected:g}"
        " (difference {difference:+g}). Correct them, or tick “Accept the difference” and submit.",
    ),
    "weight_gain": (
        "处理后重量 {actual:g} 大于本批次数量 {expected:g}。"
        "请核对后修改，或勾选“确认数量差异”再提交。",
        "The weight after, {actual:g}, is more than the batch's {expected:g}."
        " Correct it, or tick “Accept the difference” and submit.",
    ),
    "accept_mismatch": (
        "确认数量差异（将记入审计日志）",
        "Accept the difference (noted in the audit trail)",
    ),
    "not_a_number": ("“{value}”不是数字", "“{value}” is not a number"),
    # The test step.
    "record_test": ("记录检测结果", "Record a test"),
    "test_hint": (
        "检测须填写检测机构、依据标准、结论和至少一项结果（含水率或农残）。",
        "A test needs its lab, the standard, the verdict and at least one result"
        " (moisture or a residue).",
    ),
    "test_verdict": ("检测结论", "Test verdict"),
    "standard": ("依据标准", "Standard"),
    "test_needs_lab": ("请填写检测机构。", "Enter the lab that tested."),
    "test_needs_standard": (
        "请填写依据的标准（如 GB 2763-2021）。",
        "Enter the standard (e.g. GB 2763-2021).",
    ),
    "test_needs_verdict": ("请选择检测结论：合格或不合格。", "Choose the verdict: pass or fail."),
    "test_needs_result": (
        "请至少填写一项检测结果：含水率或农药残留量。",
        "Enter at least one result: moisture or a pesticide residue.",
    ),
    "residue_needs_value": ("请填写农药残留量。", "Enter the residue measured."),
    # Forms a batch's state no longer allows.
    "forms_closed_recalled": (
        "本批次已召回，不能再记录。",
        "This batch is recalled; nothing more can be recorded.",
    ),
    "forms_closed_consumed": (
        "本批次已分批或合并为其他批次，请在新批次上继续记录。",
        "This batch was made into other batches; record on those.",
    ),
    "forms_closed_away": (
        "本批次已离开加工中心，只能记录转移或召回。",
        "This batch has left the centre; only moves and a recall can be recorded.",
    ),
    "form_not_allowed": ("该操作不适用于本批次。", "This cannot be recorded for this batch."),
    "move_before_custody": (
        "转移时间 {time} 早于本批次到达{place}的时间 {since}（北京时间）。请填写之后的时间。",
        "The move at {time} is before the batch reached {place} at {since} (Beijing time)."
        " Give a later time.",
    ),
    "beijing_time": ("北京时间", "Beijing time"),
    # Recall.
    "recall_batch": ("召回本批次", "Recall this batch"),
    "recall_hint": (
        "召回会同时标记由本批次分出或合并的所有批次，消费者扫码即可看到。",
        "A recall also marks every batch made from this one; consumers see it when they scan.",
    ),
    "recall_needs_reason": ("请填写召回原因。", "Give the reason for the recall."),
    "recalled_on": ("召回时间", "Recalled on"),
}
