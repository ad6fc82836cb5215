from django.urls import path

from cordon.command import duty_views, views

urlpatterns = [
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/stats/", views.task_stats, name="task_stats"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/<str:action>/", views.task_action, name="task_action"),
    path("responsibilities/", views.responsibilities, name="responsibilities"),
    path("people/<int:user_id>/", duty_views.person, name="duties"),
    path("my-work/", duty_views.my_work, name="my_work"),
    path("on-duty/", duty_views.on_duty, name="on_duty"),
    path("on-duty/shifts/", duty_views.shift_new, name="shift_new"),
    path("handovers/", duty_views.handovers, name="handovers"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/inspect/", views.inspection_new, name="inspection_new"),
    path("ledger/accountability/", views.accountability, name="accountability"),
    path("ledger/<int:pk>/", views.ledger_item, name="ledger_item"),
    path("ledger/<int:pk>/evidence/<int:evidence_id>/", views.ledger_evidence, name="ledger_evidence"),
    path("ledger/<int:pk>/<str:action>/", views.ledger_action, name="ledger_action"),
    path("dispatch/", views.dispatch, name="dispatch"),
    path("dispatch/<int:pk>/<str:action>/", views.match_action, name="match_action"),
    path("dispatch/loans/<int:pk>/", views.loan, name="loan"),
    path("dispatch/members/<int:pk>/return/", views.member_return, name="member_return"),
    path("dispatch/staff/", views.staff_on_loan, name="staff_on_loan"),
]
