"""Investigation forms as data: versioned questionnaires, their questions, and answers kept against the version used."""
