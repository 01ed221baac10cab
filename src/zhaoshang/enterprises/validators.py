"""统一社会信用代码 validation (GB 32100-2015), through python-stdnum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def normalise_credit_code(value: str) -> str:
    return uscc.compact(value or "")


# GB 32100-2015's character set and weights, as python-stdnum has them.
_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHJKLMNPQRTUWXY")}
_DIGITS = frozenset("0123456789")
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _plainly_valid(value: str) -> bool:
    """A code already in its compact form with the right check digit: what ``uscc.validate``
    accepts as it is, at a fifth of its cost (an import checks thousands). Anything else goes to
    python-stdnum, which says what is wrong."""
    if len(value) != 18 or not _DIGITS.issuperset(value[:8]):
        return False
    values = [_VALUES.get(c) for c in value]
    if None in values:
        return False
    total = sum(v * w for v, w in zip(values[:17], _WEIGHTS, strict=True))
    return values[17] == (31 - total) % 31


def validate_credit_code(value: str) -> None:
    if not value or _plainly_valid(value):
        return
    try:
        uscc.validate(value)
    except InvalidLength as exc:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="length") from exc
    except InvalidChecksum as exc:
        raise ValidationError(_("统一社会信用代码校验位不正确,请核对。"), code="checksum") from exc
    except InvalidFormat as exc:
        raise ValidationError(
            _("统一社会信用代码格式不正确(只能含数字和大写字母,不含I、O、Z、S、V)。"), code="format"
        ) from exc
    except StdnumError as exc:
        raise ValidationError(_("统一社会信用代码无效。"), code="invalid") from exc
