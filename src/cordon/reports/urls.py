from django.urls import path

from cordon.reports import views

# The dashboard and the daily reports stay where commanders know them, beside the command screens: /command/...
# (namespace "reports"). config.urls mounts an app's urls at MOUNT when it names one, else at /<label>/.
MOUNT = "command"

urlpatterns = [
    path("", views.index, name="index"),
    path("refresh/", views.refresh, name="refresh"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/docx/", views.report_docx_view, name="report_docx"),
    path("ledger/accountability/docx/", views.accountability_docx, name="accountability_docx"),
]
