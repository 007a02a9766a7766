from starlette.requests import Request

from api.i18n import add_messages, choose_language, translate


def _request(query: str = "", cookie: str = "", accept_language: str = "") -> Request:
    headers = []
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    if accept_language:
        headers.append((b"accept-language", accept_language.encode()))
    return Request({"type": "http", "query_string": query.encode(), "headers": headers})


def test_chinese_is_the_default_language() -> None:
    assert choose_language(_request()) == "zh"
    assert choose_language(_request(accept_language="fr-FR,de;q=0.8")) == "zh"


def test_the_query_beats_the_cookie_which_beats_the_browser() -> None:
    assert choose_language(_request(accept_language="en-US")) == "en"
    assert choose_language(_request(cookie="lang=zh", accept_language="en-US")) == "zh"
    assert choose_language(_request(query="lang=en", cookie="lang=zh")) == "en"


def test_accept_language_is_ranked_by_quality() -> None:
    assert choose_language(_request(accept_language="en;q=0.4,zh-CN;q=0.9")) == "zh"
    assert choose_language(_request(accept_language="zh;q=0,en;q=0.5")) == "en"


def test_a_message_key_may_be_registered_once() -> None:
    assert translate("login", "en") == "Sign in"
    try:
        add_messages({"login": ("登录", "Log in")})
    except ValueError as error:
        assert "login" in str(error)
    else:
        raise AssertionError("a second definition of a key was accepted")
