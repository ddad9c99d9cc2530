from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("work/", views.worklist, name="worklist"),
    path("work/actions/", views.worklist_action, name="worklist_action"),
    path("work/items/<int:item_id>/", views.worklist_item, name="worklist_item"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/export.<slug:fmt>", views.portfolio_export_view, name="portfolio_export"),
    path("organization/", views.switch_organization, name="switch_organization"),
    path("operators/", views.operator_list, name="operator_list"),
    path("operators/new/", views.operator_create, name="operator_create"),
    path("operators/<int:operator_id>/", views.operator_detail, name="operator_detail"),
    path("operators/<int:operator_id>/edit/", views.operator_edit, name="operator_edit"),
    path("operators/<int:operator_id>/people/new/", views.person_create, name="person_create"),
    path(
        "operators/<int:operator_id>/people/<int:person_id>/edit/",
        views.person_edit,
        name="person_edit",
    ),
    path("operators/<int:operator_id>/licences/new/", views.licence_create, name="licence_create"),
    path(
        "operators/<int:operator_id>/preapprovals/new/",
        views.preapproval_create,
        name="preapproval_create",
    ),
    path(
        "preapprovals/<int:preapproval_id>/edit/", views.preapproval_edit, name="preapproval_edit"
    ),
    path("licences/", views.licence_list, name="licence_list"),
    path("licences/<int:licence_id>/", views.licence_detail, name="licence_detail"),
    path("licences/<int:licence_id>/edit/", views.licence_edit, name="licence_edit"),
    path(
        "licences/<int:licence_id>/annual-reports/new/",
        views.licence_annual_report,
        name="licence_annual_report",
    ),
    path("miniprograms/", views.miniprogram_list, name="miniprogram_list"),
    path("miniprograms/new/", views.miniprogram_create, name="miniprogram_create"),
    path("miniprograms/<int:miniprogram_id>/", views.miniprogram_detail, name="miniprogram_detail"),
    path(
        "miniprograms/<int:miniprogram_id>/edit/", views.miniprogram_edit, name="miniprogram_edit"
    ),
    path("domains/", views.domain_list, name="domain_list"),
    path("domains/new/", views.domain_create, name="domain_create"),
    path("domains/<int:domain_id>/", views.domain_detail, name="domain_detail"),
    path("domains/<int:domain_id>/edit/", views.domain_edit, name="domain_edit"),
    path("filings/", views.filing_list, name="filing_list"),
    path("filings/new/", views.filing_create, name="filing_create"),
    path("filings/bulk/", views.filing_bulk, name="filing_bulk"),
    path("filings/<int:filing_id>/", views.filing_detail, name="filing_detail"),
    path("filings/<int:filing_id>/edit/", views.filing_edit, name="filing_edit"),
    path("filings/<int:filing_id>/comments/", views.filing_comment, name="filing_comment"),
    path(
        "filings/<int:filing_id>/transition/<slug:to_status>/",
        views.filing_transition,
        name="filing_transition",
    ),
    path("tools/number-checker/", views.number_checker, name="number_checker"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_log_export, name="audit_log_export"),
]
