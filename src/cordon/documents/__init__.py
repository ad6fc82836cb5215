"""Official documents: templates, numbering, filled .docx and PDF, QR verification."""
