"""Daily self-reporting by people under home measures: personal links, reports, non-reporters escalated."""
