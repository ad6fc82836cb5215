from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.core.lifecycle import Lifecycle

# Labels are English msgids (translated: zh_Hans in locale/); their Chinese translations are the labels the
# migrations hold, so the field state is unchanged in the city's language.


class RoundStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("screening round", "Planned")
    PUBLISHED = "published", pgettext_lazy("screening round", "In progress")
    CLOSED = "closed", pgettext_lazy("screening round", "Ended")


# A round is planned (draft), published (sampling runs) and closed; a closed round never reopens.
ROUND_LIFECYCLE = Lifecycle(_("round"), {
    RoundStatus.DRAFT: [RoundStatus.PUBLISHED],
    RoundStatus.PUBLISHED: [RoundStatus.CLOSED],
    RoundStatus.CLOSED: [],
}, labels=RoundStatus)


class TubeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("tube", "Sampling")
    CLOSED = "closed", pgettext_lazy("tube", "Sealed")
    RECEIVED = "received", pgettext_lazy("tube", "Received by the lab")
    TESTED = "tested", pgettext_lazy("tube", "Result out")


# A tube is filled and closed (by hand, when full or when the round ends), scanned in by the lab and tested; a lab may
# scan in or test a tube left open. A correction replaces a tested tube's result without a status move.
TUBE_LIFECYCLE = Lifecycle(_("tube"), {
    TubeStatus.OPEN: [TubeStatus.CLOSED, TubeStatus.RECEIVED, TubeStatus.TESTED],
    TubeStatus.CLOSED: [TubeStatus.RECEIVED, TubeStatus.TESTED],
    TubeStatus.RECEIVED: [TubeStatus.TESTED],
    TubeStatus.TESTED: [],
}, labels=TubeStatus)


class Result(models.TextChoices):
    PENDING = "pending", pgettext_lazy("tube result", "Awaiting result")
    NEGATIVE = "negative", pgettext_lazy("tube result", "Negative")
    POSITIVE = "positive", pgettext_lazy("tube result", "Positive")
    INVALID = "invalid", pgettext_lazy("tube result", "Invalid")


class SampleResult(models.TextChoices):
    PENDING = "pending", pgettext_lazy("sample result", "Awaiting result")
    NEGATIVE = "negative", pgettext_lazy("sample result", "Negative")
    HELD = "held", pgettext_lazy("sample result", "Pool positive, awaiting retest")
    POSITIVE = "positive", pgettext_lazy("sample result", "Positive")
    INVALID = "invalid", pgettext_lazy("sample result", "Invalid, sample again")


class RetestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("retest", "Awaiting single sample")
    SAMPLED = "sampled", pgettext_lazy("retest", "Single sample taken")
    NEGATIVE = "negative", pgettext_lazy("retest", "Retest negative")
    POSITIVE = "positive", pgettext_lazy("retest", "Retest positive")


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
