"""Notification outbox and delivery channels (SMS gateway, WeCom and DingTalk robots, e-mail, log)."""
