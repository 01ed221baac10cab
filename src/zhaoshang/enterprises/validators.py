"""统一社会信用代码 validation (GB 32100-2015), through python-stdnum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def normalise_credit_code(value: str) -> str:
    return uscc.compact(value or "")


def validate_credit_code(value: str) -> None:
    if not value:
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
