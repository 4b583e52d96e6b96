"""URLs of the mawkib's reports pages and the volunteer card (included by urls.py).

Each report has its own three addresses (page, Excel, PDF) with no parameter in the path,
so every one of them is a plain named page the access walk can visit."""

from django.urls import path

from . import views_reports as views
from .reports import REPORT_NAMES

urlpatterns: list = [
    path("reports/", views.reports_index, name="reports"),
    path("applications/<int:pk>/card.pdf", views.application_card, name="application_card"),
    path("volunteer/card.pdf", views.volunteer_card, name="volunteer_card"),
]
for _name in REPORT_NAMES:
    urlpatterns += [
        path(f"reports/{_name}/", views.report_page, {"name": _name}, name=f"report_{_name}"),
        path(
            f"reports/{_name}.xlsx",
            views.report_download,
            {"name": _name, "fmt": "xlsx"},
            name=f"report_{_name}_xlsx",
        ),
        path(
            f"reports/{_name}.pdf",
            views.report_download,
            {"name": _name, "fmt": "pdf"},
            name=f"report_{_name}_pdf",
        ),
    ]
