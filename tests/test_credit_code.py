"""统一社会信用代码: the quick check of a well-formed code accepts exactly what python-stdnum accepts."""

import random

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import uscc

from factories import valid_credit_code
from zhaoshang.enterprises.validators import _plainly_valid, validate_credit_code

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _stdnum_accepts(code: str) -> bool:
    try:
        return uscc.validate(code) == code
    except Exception:
        return False


def test_the_quick_check_agrees_with_stdnum():
    rng = random.Random(14)
    codes = [valid_credit_code(n) for n in range(500)]
    # Each valid code with one character changed (a typo), to any character of the set or not.
    for code in list(codes):
        i = rng.randrange(18)
        codes.append(code[:i] + rng.choice(ALPHABET + "IOZSVa１ -") + code[i + 1 :])
    codes += [rng.choice(codes)[:17], " " + codes[0], codes[0].lower(), "9" * 18, "0" * 18, ""]
    disagree = [c for c in codes if _plainly_valid(c) and not _stdnum_accepts(c)]
    assert disagree == []
    # Every valid compact code takes the quick way.
    assert all(_plainly_valid(c) for c in codes if _stdnum_accepts(c))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91421003000000001", "应为18位"),
        ("91421003MA4F0KQX7O", "格式不正确"),
    ],
)
def test_a_bad_code_still_says_what_is_wrong(code, message):
    with pytest.raises(ValidationError, match=message):
        validate_credit_code(code)


def test_a_wrong_check_digit_is_named():
    code = valid_credit_code(7)
    wrong = code[:17] + ALPHABET[(ALPHABET.index(code[17]) + 1) % 31]
    with pytest.raises(ValidationError, match="校验位不正确"):
        validate_credit_code(wrong)
    validate_credit_code(code)  # and the right one passes
