from django.db import models
from django.utils.translation import gettext_lazy as _

from cordon.core.lifecycle import Lifecycle


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "计划中"
    PUBLISHED = "published", "进行中"
    CLOSED = "closed", "已结束"


# A round is planned (draft), published (sampling runs) and closed; a closed round never reopens.
ROUND_LIFECYCLE = Lifecycle(_("round"), {
    RoundStatus.DRAFT: [RoundStatus.PUBLISHED],
    RoundStatus.PUBLISHED: [RoundStatus.CLOSED],
    RoundStatus.CLOSED: [],
}, labels=RoundStatus)


class TubeStatus(models.TextChoices):
    OPEN = "open", "采样中"
    CLOSED = "closed", "已封管"
    RECEIVED = "received", "实验室已接收"
    TESTED = "tested", "已出结果"


# A tube is filled and closed (by hand, when full or when the round ends), scanned in by the lab and tested; a lab may
# scan in or test a tube left open. A correction replaces a tested tube's result without a status move.
TUBE_LIFECYCLE = Lifecycle(_("tube"), {
    TubeStatus.OPEN: [TubeStatus.CLOSED, TubeStatus.RECEIVED, TubeStatus.TESTED],
    TubeStatus.CLOSED: [TubeStatus.RECEIVED, TubeStatus.TESTED],
    TubeStatus.RECEIVED: [TubeStatus.TESTED],
    TubeStatus.TESTED: [],
}, labels=TubeStatus)


class Result(models.TextChoices):
    PENDING = "pending", "待出结果"
    NEGATIVE = "negative", "阴性"
    POSITIVE = "positive", "阳性"
    INVALID = "invalid", "无效"


class SampleResult(models.TextChoices):
    PENDING = "pending", "待出结果"
    NEGATIVE = "negative", "阴性"
    HELD = "held", "混管阳性待复核"
    POSITIVE = "positive", "阳性"
    INVALID = "invalid", "无效需重采"


class RetestStatus(models.TextChoices):
    PENDING = "pending", "待单采"
    SAMPLED = "sampled", "已单采"
    NEGATIVE = "negative", "复核阴性"
    POSITIVE = "positive", "复核阳性"


# A held pool member's retest is sampled, then resolved by its single tube; a pool corrected to negative releases the
# members not sampled yet. Negative and positive are final.
RETEST_LIFECYCLE = Lifecycle(_("retest"), {
    RetestStatus.PENDING: [RetestStatus.SAMPLED, RetestStatus.NEGATIVE],
    RetestStatus.SAMPLED: [RetestStatus.NEGATIVE, RetestStatus.POSITIVE],
    RetestStatus.NEGATIVE: [],
    RetestStatus.POSITIVE: [],
}, labels=RetestStatus)


def reaching(lifecycle: Lifecycle, target: str) -> list[str]:
    """The statuses from which `lifecycle` allows a move to `target` (for moves made in bulk by a filtered update)."""
    return [state for state, nxt in lifecycle.transitions.items() if target in nxt]
