"""What the staff console's forms may do with a batch, and refusals in the reader's words.

A batch made into others (consumed) or recalled takes no more records; one that left the centre
takes only moves and a recall. The forms a batch's state does not allow are not shown, and a
post to one anyway is refused with the reason.
"""

from typing import Any

from pydantic import ValidationError

from api.i18n import Language, translate
from schemas.test_results import missing_test_part

STEP, TEST, MOVE, SPLIT, RECALL = "step", "test", "move", "split", "recall"
ALL_FORMS = frozenset({STEP, TEST, MOVE, SPLIT, RECALL})
AWAY_FORMS = frozenset({MOVE, RECALL})


class FormProblem(ValueError):
    """A refusal with a message key of the console's texts and the figures it names."""

    def __init__(self, key: str, **figures: object) -> None:
        super().__init__(key)
        self.key = key
        self.figures = figures

    def words(self, language: Language) -> str:
        return translate(self.key, language).format(**self.figures)


def allowed_forms(status: str, recalled: bool) -> frozenset[str]:
    if recalled or status == "consumed":
        return frozenset()
    if status in ("shipped", "delivered"):
        return AWAY_FORMS
    return ALL_FORMS


def why_no_forms(status: str, recalled: bool) -> str | None:
    """The message key explaining the forms a batch no longer shows, if any are hidden."""
    if recalled:
        return "forms_closed_recalled"
    if status == "consumed":
        return "forms_closed_consumed"
    if status in ("shipped", "delivered"):
        return "forms_closed_away"
    return None


def require_form(form: str, status: str, recalled: bool) -> None:
    if form not in allowed_forms(status, recalled):
        raise FormProblem(why_no_forms(status, recalled) or "form_not_allowed")


# Pydantic's error types a console form meets, in words; others keep the validator's text.
_REFUSAL_KEYS = {
    "missing": "refusal_missing",
    "string_too_short": "refusal_missing",
    "too_short": "refusal_missing",
    "string_pattern_mismatch": "refusal_choose",
    "float_parsing": "refusal_number",
    "float_type": "refusal_number",
    "int_parsing": "refusal_number",
    "greater_than": "refusal_greater_than",
    "greater_than_equal": "refusal_at_least",
    "less_than_equal": "refusal_at_most",
    "string_too_long": "refusal_too_long",
    "time_in_future": "refusal_future",
    "datetime_from_date_parsing": "refusal_time",
    "datetime_parsing": "refusal_time",
    "date_from_datetime_parsing": "refusal_date",
    "date_parsing": "refusal_date",
}


def validation_words(error: ValidationError, language: Language) -> str:
    """Each refused field by its name, with what is wrong in the reader's words."""
    separator = "；" if language == "zh" else "; "
    parts = []
    for item in error.errors()[:5]:
        names = [str(step) for step in item["loc"] if isinstance(step, str)]
        field = translate(f"field_{names[-1]}", language) if names else ""
        if field.startswith("field_"):
            field = names[-1]
        key = _REFUSAL_KEYS.get(item["type"])
        figures = {key: value for key, value in (item.get("ctx") or {}).items()}
        problem = translate(key, language).format(**figures) if key else item["msg"]
        parts.append(f"{field}{'：' if language == 'zh' else ': '}{problem}")
    return separator.join(parts)


def number(text: str | None) -> float | None:
    """A number field: empty is None, anything else must be a number."""
    if text is None or not text.strip():
        return None
    try:
        return float(text.replace("，", ".").strip())
    except ValueError as error:
        raise FormProblem("not_a_number", value=text[:40]) from error


def step_data(form: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        key: form[key] for key in ("operator", "notes") if form.get(key, "").strip()
    }
    if form.get("media", "").strip():
        data["media"] = [form["media"].strip()]
    weight_after = number(form.get("weight_after"))
    if weight_after is not None:
        data["weight_after"] = weight_after
    return data


def test_data(form: dict[str, str]) -> dict[str, Any]:
    """A test as a lab reports it: who tested, against which standard, what was found, and
    the verdict; a test with none of that is refused rather than shown to consumers as 合格
    (the same rule as the API's, schemas/test_results.py)."""
    data = step_data(form)
    for key in ("lab", "standard", "instrument"):
        if form.get(key, "").strip():
            data[key] = form[key].strip()
    moisture = number(form.get("moisture_percent"))
    if moisture is not None:
        data["moisture_percent"] = moisture
    if form.get("residue_substance", "").strip():
        value = number(form.get("residue_value"))
        if value is None:
            raise FormProblem("residue_needs_value")
        data["pesticide_residue"] = [
            {"substance": form["residue_substance"].strip(), "value_mg_kg": value,
             "limit_mg_kg": number(form.get("residue_limit"))},
        ]  # fmt: skip
    missing = missing_test_part(
        data.get("lab"), data.get("standard"), moisture, data.get("pesticide_residue", [])
    )
    if missing is not None:
        raise FormProblem(missing)
    if form.get("passed") not in ("yes", "no"):
        raise FormProblem("test_needs_verdict")
    data["passed"] = form["passed"] == "yes"
    return data
