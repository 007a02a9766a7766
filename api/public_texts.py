"""The provenance page's texts, Chinese first and English beside it: key → (zh, en)."""

from api.i18n import LANGUAGES, Language

PAGE_TEXTS: dict[str, tuple[str, str]] = {
    "title": ("产品溯源", "Product provenance"),
    "lot": ("批次号", "Lot"),
    "grade": ("等级", "Grade"),
    "quantity": ("批次数量", "Batch size"),
    "recalled": ("本批次已召回", "This batch has been recalled"),
    "recall_advice": (
        "请勿食用。请联系购买渠道退货或咨询。",
        "Do not eat it. Return it where you bought it or ask the seller.",
    ),
    "recalled_at": ("召回时间", "Recalled on"),
    "reason": ("原因", "Reason"),
    "in_processing": (
        "本批次仍在加工中，信息会继续更新。",
        "This batch is still being processed; more will appear here.",
    ),
    "origin": ("产地", "Origin"),
    "harvested": ("采收", "Harvested"),
    "farmer_anonymous": ("农户（未公开姓名）", "a farmer (name not published)"),
    "cooperative": ("合作社", "Cooperative"),
    "enterprise": ("企业", "Enterprise"),
    "dates": ("日期", "Dates"),
    "harvest_date": ("采收日期", "Harvest date"),
    "pack_date": ("包装日期", "Packed"),
    "received": ("收货日期", "Received"),
    "best_before": ("保质期至", "Best before"),
    "steps": ("加工过程", "What was done"),
    "corrected": ("已更正", "corrected"),
    "tests": ("检测结果", "Test results"),
    "passed": ("合格", "Passed"),
    "failed": ("不合格", "Failed"),
    "no_tests": ("暂无检测记录", "No tests recorded yet"),
    "limit": ("限量", "limit"),
    "moisture": ("水分", "Moisture"),
    "cold_chain": ("冷链记录", "Cold chain"),
    "cold_chain_pending": ("冷链记录整理中", "The cold-chain record is being evaluated"),
    "refrigerated_hours": ("冷藏时长", "Hours refrigerated"),
    "hours": ("小时", "h"),
    "temp_range": ("温度范围", "Temperature range"),
    "band": ("要求", "Required"),
    "verdict": ("结论", "Verdict"),
    "verdict_held": ("全程温度符合要求", "Kept within its storage band throughout"),
    "verdict_excursions": ("出现温度超标", "Left its storage band"),
    "verdict_gaps": ("温度记录有中断", "The temperature record has gaps"),
    "verdict_no_data": ("暂无温度记录", "No temperature record"),
    "verdict_no_profile": ("该产品无冷藏要求", "This product needs no refrigeration"),
    "excursion": ("温度超标", "Excursion"),
    "gap": ("记录中断", "Gap in the record"),
    "peak": ("峰值", "peak"),
    "findings": ("异常记录", "Findings"),
    "chart": ("温度曲线", "Temperature chart"),
    "chart_gap": ("曲线断开处为记录中断", "breaks in the line are gaps in the record"),
    "not_found_title": ("未找到该批次", "We could not find this batch"),
    "not_found_text": (
        "请核对包装上的二维码或批次号。如有疑问，请联系销售商。",
        "Check the code or lot number on the pack. If in doubt, ask the seller.",
    ),
    "bad_link_title": ("二维码链接无效", "This code's link is not valid"),
    "bad_link_text": (
        "链接格式不正确，可能是二维码损坏或被篡改。",
        "The link is malformed; the code may be damaged or altered.",
    ),
    "footer": (
        "金口河区农产品溯源 · 数据来自加工中心和冷链传感器",
        "Jinkouhe produce traceability · records from the processing centre and cold-chain sensors",
    ),
    "minutes": ("分钟", "min"),
}


def page_text(key: str, language: Language) -> str:
    texts = PAGE_TEXTS.get(key)
    return key if texts is None else texts[LANGUAGES.index(language)]
