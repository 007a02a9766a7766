"""The provenance page's texts, Chinese first and English beside it: key → (zh, en)."""

from api.i18n import LANGUAGES, Language

PAGE_TEXTS: dict[str, tuple[str, str]] = {
    "title": ("产品溯源", "Product provenance"),
    "description": (
        "产地、加工过程、检测结果和储运温度记录",
        "where it grew, what was done to it, its tests and its temperature record",
    ),
    "storage_advice": ("储存建议", "How to keep it"),
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
    "plot": ("地块", "Plot"),
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
    "report_number": ("报告编号", "Report no."),
    "certificates": ("认证证书", "Certificates"),
    "photos": ("实拍照片", "Photos"),
    "photo_harvest_lot": ("采收", "At harvest"),
    "photo_event": ("加工", "In processing"),
    "photo_producer": ("生产者", "The producer"),
    "photo_location": ("产地", "Where it grew"),
    "document_harvest_lot": ("采收记录", "Harvest record"),
    "document_event": ("检测报告", "Test report"),
    "document_producer": ("生产者证书", "Producer's certificate"),
    "document_location": ("产地资料", "About the origin"),
    "cert_valid": ("有效", "valid"),
    "cert_expired": ("已过期", "expired"),
    "cert_not_yet": ("尚未生效", "not yet valid"),
    "cert_number": ("证书编号", "no."),
    "valid_period": ("有效期", "Valid"),
    "cert_geographical_indication": ("地理标志", "Geographical indication"),
    "cert_green_food": ("绿色食品", "Green Food"),
    "cert_organic": ("有机产品", "Organic"),
    "cert_pollution_free": ("无公害农产品", "Pollution-free produce"),
    "cert_other": ("其他认证", "Other certificate"),
    "report_link": ("查看检测报告", "Read the test report"),
    "cold_chain": ("冷链记录", "Cold chain"),
    "cold_chain_pending": ("冷链记录整理中", "The cold-chain record is being evaluated"),
    "cold_chain_hours": ("储运时长", "Time stored and carried"),
    "hours": ("小时", "h"),
    "temp_range": ("温度范围", "Temperature range"),
    "band": ("要求", "Required"),
    "humidity_band": ("湿度要求", "Humidity required"),
    "verdict_held": ("储运温度符合要求", "Kept within its required temperature"),
    "verdict_excursions": ("储运中温度超出要求", "Its temperature left the required range"),
    "verdict_excursions_ongoing": (
        "温度超出要求，目前仍未恢复",
        "Outside its required temperature now",
    ),
    "verdict_gaps": ("温度记录有中断", "The temperature record has gaps"),
    "verdict_no_data": ("暂无储运温度记录", "No temperature record while stored or carried"),
    "verdict_no_profile": ("该产品无储存温度要求", "This product has no storage temperature rule"),
    "verdict_not_cooled": ("尚未进入冷链", "Not yet stored or carried cold"),
    "scope": (
        "判定依据：在冷库、仓库和冷藏车中的温度记录；加工环节的温度属于加工工艺，单独列出，不计入判定。",
        "Judged on the records from cold stores, warehouses and refrigerated trucks; processing"
        " rooms work at the temperatures their steps need and are listed apart.",
    ),
    "not_cooled_text": (
        "本批次尚未在冷库、仓库或冷藏车中保存过，还没有可判定的冷链记录。",
        "This batch has not been in a cold store, warehouse or refrigerated truck yet, so there"
        " is no cold-chain record to judge.",
    ),
    "brief_out_of_band": (
        "温度曾短暂超出要求范围，每次不超过 {minutes} 分钟，在标准允许之内。",
        "The temperature left the range briefly, never for more than {minutes} min, which the"
        " rule allows.",
    ),
    "what_happened": ("发生了什么", "What happened"),
    "excursion_at": (
        "{start} 起，{place}温度超出要求，持续 {duration}，最高 {peak} °C",
        "From {start} the temperature at {place} was out of range for {duration},"
        " reaching {peak} °C",
    ),
    "humidity_at": (
        "{start} 起，{place}湿度超出要求，持续 {duration}，最高 {peak}%",
        "From {start} the humidity at {place} was out of range for {duration}, reaching {peak}%",
    ),
    "gap_at": (
        "{start} 起，{place}有 {duration} 没有温度记录",
        "From {start} there is no record from {place} for {duration}",
    ),
    "ended_at": ("已于 {end} 恢复。", "It ended at {end}."),
    "still_ongoing": ("至今仍未恢复（截至 {end}）。", "It is still going on (as of {end})."),
    "what_to_do": ("您可以怎么做", "What you can do"),
    "excursion_advice": (
        "食用前请检查包装是否完好，产品有无异味、变软、发黏或霉变。如有以上情况或心存疑虑，请勿食用，"
        "可凭购买记录联系销售商退换，或拨打下方电话咨询、投诉。",
        "Before eating it, check that the pack is intact and that the product does not smell"
        " off, is not soft, sticky or mouldy. If it is, or if in doubt, do not eat it: return it"
        " to the seller with your receipt, or call one of the numbers below.",
    ),
    "gap_advice": (
        "记录中断不代表温度出了问题，但这段时间的温度无法核实。食用前请检查产品状态。",
        "A gap is not an excursion, but it cannot show the temperature held meanwhile. Check"
        " the product before eating it.",
    ),
    "contact": ("咨询与投诉", "Questions and complaints"),
    "centre_line": ("加工中心电话", "Processing centre"),
    "complaint_line": ("消费者投诉举报电话", "Consumer complaints (market regulator)"),
    "excursion": ("温度超标", "Excursion"),
    "gap": ("记录中断", "Gap in the record"),
    "ongoing": ("仍在持续", "still going on"),
    "peak": ("峰值", "peak"),
    "findings": ("异常记录", "Findings"),
    "chart": ("储运温度曲线", "Temperature while stored and carried"),
    "legend_line": ("温度（均值）", "temperature (mean)"),
    "legend_band": ("要求范围", "required range"),
    "legend_excursion": ("超标时段", "excursion"),
    "legend_gap": ("记录中断", "gap in the record"),
    "segments": ("储运环节", "Where it was stored and carried"),
    "until_now": ("至今", "now"),
    "processing": ("加工环节（不计入冷链判定）", "Processing (not part of the cold-chain verdict)"),
    "room_temp": ("室温", "room"),
    "no_reading": ("无温度记录", "no temperature record"),
    "scan_count": (
        "本码第 {number} 次查询，首次查询于 {first}。",
        "This code's scan number {number}; first scanned {first}.",
    ),
    "copied_code": ("此码可能被复制", "This code may have been copied"),
    "copied_code_text": (
        "本码已在 {days} 天内被查询 {number} 次，多于一件商品通常的查询次数。如果您刚买到这件商品，"
        "请向销售商核实来源，或拨打下方电话。",
        "This code has been scanned {number} times on {days} days, more than one pack usually"
        " is. If you have just bought it, ask the seller where it came from, or call a number"
        " below.",
    ),
    "unknown_serial": ("本批次没有这个包装序列号", "This batch has no pack with this serial"),
    "unknown_serial_text": (
        "二维码中的序列号不属于本批次的任何一包，包装可能是仿冒的。请向销售商核实，或拨打下方电话。",
        "The serial in this code belongs to none of the batch's packs: the pack may be fake."
        " Ask the seller, or call a number below.",
    ),
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
