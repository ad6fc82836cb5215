from django.db import models


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "计划中"
    PUBLISHED = "published", "进行中"
    CLOSED = "closed", "已结束"


class TubeStatus(models.TextChoices):
    OPEN = "open", "采样中"
    CLOSED = "closed", "已封管"
    RECEIVED = "received", "实验室已接收"
    TESTED = "tested", "已出结果"


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
