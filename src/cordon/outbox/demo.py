"""Demo for the outbox: the channels (SMS routed to the log backend, the log channel, and disabled example WeCom
and DingTalk robots and e-mail a city fills in), and a few messages in both languages, the due ones sent. Every
notice later seeders send through core.notify lands in the outbox too; the scheduler's job (every minute under
`cordon serve`) sends them through the log backend, so the HQ sees them sent on the outbox page."""

from cordon.outbox import services

CHANNELS = [
    {"code": "sms", "name": "短信（演示：写入日志）", "backend": "log", "rate_per_minute": 600},
    {"code": "log", "name": "日志", "backend": "log", "rate_per_minute": 600},
    {"code": "wecom", "name": "市指挥部企业微信群（示例，未启用）", "backend": "wecom", "enabled": False, "rate_per_minute": 20,
     "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=YOUR-ROBOT-KEY", "message_format": "markdown"},
    {"code": "dingtalk", "name": "区县工作群钉钉机器人（示例，未启用）", "backend": "dingtalk", "enabled": False, "rate_per_minute": 20,
     "url": "https://oapi.dingtalk.com/robot/send?access_token=YOUR-TOKEN", "secret": "SEC-REPLACE-WITH-THE-ROBOT-SECRET"},
    {"code": "email", "name": "电子邮件（未启用）", "backend": "email", "enabled": False, "sender": "cordon@example.org"},
]


def seed(ctx) -> None:
    """Channels and a few messages; the due ones are sent at the demo's instant."""
    actor = ctx.accounts["commander"]
    for spec in CHANNELS:
        services.channel_save(actor=actor, **spec)
    notice = "outbox/messages/notice.txt"
    for i, language in enumerate(["zh-hans", "en", "zh-hans"]):
        services.channel_test(actor=actor, code="sms", to=f"139{ctx.rng.randrange(10**8):08d}", language=language)
        services.enqueue(actor=actor, kind="outbox.demo", channel="log", to="值班室", template=notice,
                         context={"message": f"【值班提醒】今日 {8 + i * 4}:00 交接班，请按时到岗。"}, dedupe_key=f"demo.duty:{i}")
    services.enqueue(actor=actor, kind="outbox.demo", channel="wecom", to="all", template=notice,
                     context={"message": "**疫情日报**：今日数据已发布，请各区县核对。"}, dedupe_key="demo.wecom:daily")
    counts = services.send_due()
    ctx.say(f"outbox: {len(CHANNELS)} channels (SMS to the log; WeCom/DingTalk/e-mail examples disabled), "
            f"{counts['sent']} messages sent, {counts['waiting']} waiting for a disabled channel")
