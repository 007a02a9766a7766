"""Language choice (zh-CN first, English beside it) and the short texts of the shared pages.

The choice, in order: ``?lang=zh|en`` (remembered in a cookie), the ``lang`` cookie, the
browser's ``Accept-Language``, and Chinese when nothing says otherwise.
"""

from typing import Literal

from starlette.requests import Request

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
DEFAULT_LANGUAGE: Language = "zh"
LANG_COOKIE = "lang"
# The value of the HTML ``lang`` attribute per language.
HTML_LANG = {"zh": "zh-CN", "en": "en"}


def _as_language(value: str | None) -> Language | None:
    if not value:
        return None
    value = value.strip().lower()
    if value.startswith("zh"):
        return "zh"
    if value.startswith("en"):
        return "en"
    return None


def _from_accept_language(header: str) -> Language | None:
    """The first supported language among the header's entries, by their q-values."""
    ranked: list[tuple[float, int, Language]] = []
    for position, entry in enumerate(header.split(",")):
        tag, _, params = entry.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = _as_language(tag)
        if language is not None and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def choose_language(request: Request) -> Language:
    return (
        _as_language(request.query_params.get("lang"))
        or _as_language(request.cookies.get(LANG_COOKIE))
        or _from_accept_language(request.headers.get("accept-language", ""))
        or DEFAULT_LANGUAGE
    )


def choose_public_language(request: Request) -> Language:
    """For public pages: ``?lang=`` or ``Accept-Language``, never the cookie, so that a shared
    cache (a CDN) can key a page on the URL and ``Vary: Accept-Language`` alone."""
    return (
        _as_language(request.query_params.get("lang"))
        or _from_accept_language(request.headers.get("accept-language", ""))
        or DEFAULT_LANGUAGE
    )


# key: (zh, en). Pages that need more texts keep their own tables beside their templates.
MESSAGES: dict[str, tuple[str, str]] = {
    "site_name": ("金口河农产品溯源", "Jinkouhe produce traceability"),
    "switch_language": ("English", "中文"),
    "login": ("登录", "Sign in"),
    "logout": ("退出", "Sign out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "login_failed": ("用户名或密码不正确", "Wrong username or password"),
    "login_throttled": (
        "登录失败次数过多，请稍后再试",
        "Too many failed sign-ins; try again later",
    ),
    "signed_in_as": ("当前用户", "Signed in as"),
    "error": ("出错了", "Something went wrong"),
    "back_home": ("返回首页", "Back to the start"),
    "staff_console": ("加工中心工作台", "Processing centre console"),
    "not_found": ("未找到", "Not found"),
    "forbidden": ("无权访问", "Not allowed"),
    # Words both consoles use.
    "children": ("分出批次", "Split into"),
    "correction": ("更正", "Correction"),
    "custody": ("保管记录", "Custody"),
    "genealogy": ("批次谱系", "Genealogy"),
    "location": ("地点", "Location"),
    "lot_code": ("批号", "Lot code"),
    "parents": ("来源批次", "Made from"),
    "producer": ("生产者", "Producer"),
    "product": ("产品", "Product"),
    "quantity": ("数量", "Quantity"),
    "received_at": ("收货时间", "Received at"),
    "status": ("状态", "Status"),
    "step": ("步骤", "Step"),
    "time": ("时间", "Time"),
    "verdict": ("冷链结论", "Cold-chain verdict"),
    "scans": ("扫码统计", "Scans"),
    "scan_count": ("扫码次数", "Scans"),
    "serials_scanned": ("被扫序列号数", "Serials scanned"),
    "suspected_copies": ("疑似复制", "Possibly copied"),
    "last_scan": ("最近扫码", "Last scan"),
    "no_scans": ("暂无扫码记录", "No scans yet"),
    "copy_hint": (
        "单个序列号扫码次数过多可能是二维码被复制；详见各批次的扫码接口。",
        "A serial scanned far more often than one pack could be may be a copied code;"
        " see each lot's scans in the API.",
    ),
    "csrf_failed": (
        "表单已过期，请刷新页面后重试",
        "The form has expired; reload the page and try again",
    ),
}


def add_messages(table: dict[str, tuple[str, str]]) -> None:
    """Register a page family's texts; a key defined twice is a mistake worth failing on."""
    clash = set(table) & set(MESSAGES)
    if clash:
        raise ValueError(f"message keys defined twice: {', '.join(sorted(clash))}")
    MESSAGES.update(table)


def translate(key: str, language: Language) -> str:
    """The text for a key; the key itself when the table lacks it (visible, not fatal)."""
    texts = MESSAGES.get(key)
    if texts is None:
        return key
    return texts[LANGUAGES.index(language)]
