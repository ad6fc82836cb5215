"""Reports: the command figures (metrics), the daily report and its .docx. A consumer: it reads every domain app and nothing below imports it."""
