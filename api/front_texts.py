"""The public front page's texts, Chinese first and English beside it: key → (zh, en).

Words the front page shares with the provenance page (verdicts, the footer) come from that
page's table, so a batch's verdict reads the same on both.
"""

from api.i18n import LANGUAGES, Language
from api.public_texts import page_text

FRONT_TEXTS: dict[str, tuple[str, str]] = {
    "front_title": ("金口河特色农产品", "Jinkouhe produce"),
    "front_intro": (
        "金口河区的特色农产品来自大渡河峡谷的山村。每一批产品都有批号，扫包装上的二维码或输入批号，"
        "可查看产地、加工过程、检测结果和冷链记录。",
        "Jinkouhe's produce comes from the mountain villages of the Dadu River gorge. Every batch"
        " has a lot code: scan the code on the pack or type the lot code to see where it came"
        " from, what was done to it, its tests and its cold chain.",
    ),
    "search_title": ("按批号查询", "Look up a lot code"),
    "search_label": ("批号（印在包装上）", "Lot code (printed on the pack)"),
    "search_button": ("查询", "Look up"),
    "search_empty": ("请输入批号。", "Type a lot code."),
    "search_invalid": (
        "批号只能包含字母、数字和少数符号，最长 20 位。请核对包装上的批号。",
        "A lot code holds letters, digits and a few signs, at most 20 of them."
        " Check the code on the pack.",
    ),
    "products": ("产品", "Products"),
    "no_products": ("暂无产品信息。", "No products yet."),
    "storage": ("贮存要求", "Storage"),
    "producers": ("生产者", "Producers"),
    "producers_none": (
        "生产者未同意公开姓名。",
        "No producer has agreed to be named.",
    ),
    "on_sale": ("在售批次", "Batches on sale"),
    "none_on_sale": ("暂无在售批次。", "Nothing on sale now."),
    "packed": ("包装", "packed"),
    "best_before_short": ("保质期至", "best before"),
    "verdict_pending": ("冷链记录整理中", "cold chain being evaluated"),
    "view": ("查看溯源", "See its story"),
}


def front_text(key: str, language: Language) -> str:
    texts = FRONT_TEXTS.get(key)
    return page_text(key, language) if texts is None else texts[LANGUAGES.index(language)]
