"""Chinese names in English words for the English page, where staff gave no English name.

As names are written in Hanyu Pinyin (GB/T 16159): the proper part in pinyin, joined and
capitalised (金口河 → Jinkouhe), the generic part translated (区 → District, 合作社 →
Cooperative). A person's name is surname first, then the given name (王桂英 → Wang Guiying).
Grades and the commonest pesticides have English names of their own.
"""

import re
from functools import lru_cache

from pypinyin import lazy_pinyin

# Generic words of organisation and place names, longest first so 专业合作社 wins over 合作社.
GENERIC_WORDS = {
    "农产品质量检测站": "Agricultural Product Quality Testing Station",
    "专业合作社": "Specialised Cooperative",
    "农产品质量": "Agricultural Product Quality",
    "有限公司": "Co., Ltd.",
    "合作社": "Cooperative",
    "检测站": "Testing Station",
    "检测中心": "Testing Centre",
    "服务点": "Service Point",
    "仓储物流中心": "Warehouse and Logistics Centre",
    "冷藏车": "Refrigerated Truck",
    "收货区": "Receiving Bay",
    "包装间": "Packing Room",
    "烘干房": "Drying Room",
    "检测室": "Laboratory",
    "冷库": "Cold Store",
    "中心": "Centre",
    "分拣": "Sorting",
    "清洗": "Washing",
    "修整": "Trimming",
    "服务站": "Station",
    "彝族乡": "Yi Ethnic Township",
    "种植": "Growing",
    "加工": "Processing",
    "天麻": "Gastrodia",
    "茶叶": "Tea",
    "核桃": "Walnut",
    "腊肉": "Cured Pork",
    "花椒": "Sichuan Pepper",
    "示例": "example",
    "省": "Province",
    "市": "City",
    "区": "District",
    "县": "County",
    "镇": "Town",
    "乡": "Township",
    "村": "Village",
}
# Words that are a whole value on their own: grades and pesticide residues (GB 2763 names).
WHOLE_WORDS = {
    "特级": "Premium grade",
    "一级": "Grade 1",
    "二级": "Grade 2",
    "三级": "Grade 3",
    "毒死蜱": "chlorpyrifos",
    "多菌灵": "carbendazim",
    "吡虫啉": "imidacloprid",
    "啶虫脒": "acetamiprid",
    "氯氰菊酯": "cypermethrin",
    "高效氯氟氰菊酯": "lambda-cyhalothrin",
    "甲胺磷": "methamidophos",
    "乐果": "dimethoate",
    "敌敌畏": "dichlorvos",
    "克百威": "carbofuran",
    "腐霉利": "procymidone",
}
_PUNCTUATION = {"（": " (", "）": ")", "、": ", ", "，": ", ", "·": " ", "：": ": "}
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_GENERIC = re.compile("|".join(sorted(map(re.escape, GENERIC_WORDS), key=len, reverse=True)))
# A farmer's name: two or three characters are a one-character surname and a given name; four
# are two and two, as Yi names in the district are (沙马阿果 → Shama Aguo).
PERSON_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _proper(text: str) -> str:
    return "".join(lazy_pinyin(text)).capitalize()


@lru_cache(maxsize=4096)
def romanize(text: str, person: bool = False) -> str:
    """English words for a Chinese name; text without Chinese comes back as it was."""
    if text in WHOLE_WORDS:
        return WHOLE_WORDS[text]
    if not _HAN.search(text):
        return text
    if person and PERSON_NAME.fullmatch(text):
        surname = 2 if len(text) == 4 else 1
        return f"{_proper(text[:surname])} {_proper(text[surname:])}"
    for mark, replacement in _PUNCTUATION.items():
        text = text.replace(mark, replacement)
    words: list[str] = []
    for part in re.split(f"({_GENERIC.pattern})", text):
        if part in GENERIC_WORDS:
            words.append(GENERIC_WORDS[part])
        elif part:
            words.append(_HAN.sub(lambda found: f" {_proper(found.group())} ", part))
    return re.sub(r"\s+", " ", " ".join(words)).replace(" )", ")").replace("( ", "(").strip()
