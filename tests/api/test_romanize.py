"""Chinese names on the English page: pinyin for the proper part, English for the generic."""

from api.romanize import romanize


def test_an_organisation_is_its_proper_name_in_pinyin_and_its_kind_in_english() -> None:
    assert romanize("金口河区新民天麻专业合作社") == (
        "Jinkouhe District Xinmin Gastrodia Specialised Cooperative"
    )
    assert romanize("金口河区农产品质量检测站（示例）") == (
        "Jinkouhe District Agricultural Product Quality Testing Station (example)"
    )


def test_a_person_is_surname_then_given_name() -> None:
    assert romanize("王桂英", person=True) == "Wang Guiying"
    assert romanize("沙马阿果", person=True) == "Shama Aguo"


def test_grades_and_pesticides_have_their_english_names_and_latin_text_is_kept() -> None:
    assert romanize("一级") == "Grade 1"
    assert romanize("毒死蜱") == "chlorpyrifos"
    assert romanize("GB 2763-2021") == "GB 2763-2021"
