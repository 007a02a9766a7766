"""What a test result needs before anyone may read it as 合格 (pass): the lab that tested,
the standard it was judged against, and at least one measured result. A bare verdict says
nothing a consumer can check, so the API and the staff console refuse it by this one rule.
"""

from collections.abc import Sequence

# Each missing part, in the words the API answers with (the consoles have their own texts
# under the same keys).
MISSING_PART_WORDS = {
    "test_needs_lab": "a test result names the lab that tested (检测机构)",
    "test_needs_standard": "a test result names the standard it was judged against (依据标准)",
    "test_needs_result": (
        "a test result carries at least one measured result: moisture_percent or"
        " pesticide_residue (含水率或农药残留量)"
    ),
}


def missing_test_part(
    lab: str | None,
    standard: str | None,
    moisture_percent: float | None,
    pesticide_residue: Sequence[object],
) -> str | None:
    """The key of the first part a test result lacks, or None when it is complete."""
    if not (lab or "").strip():
        return "test_needs_lab"
    if not (standard or "").strip():
        return "test_needs_standard"
    if moisture_percent is None and not pesticide_residue:
        return "test_needs_result"
    return None
