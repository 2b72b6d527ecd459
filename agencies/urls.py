from django.urls import path

from . import views, views_calendar, views_meetings

app_name = "agencies"

urlpatterns = [
    path("townships/", views.township_list, name="township-list"),
    path("townships/<int:pk>/", views.TownshipDetailView.as_view(), name="township-detail"),
    path("townships/<int:pk>/edit/", views.TownshipUpdateView.as_view(), name="township-update"),
    path(
        "townships/<int:township_pk>/population/new/",
        views.TownshipPopulationCreateView.as_view(),
        name="population-create",
    ),
    path(
        "populations/<int:pk>/edit/",
        views.TownshipPopulationUpdateView.as_view(),
        name="population-update",
    ),
    path(
        "populations/<int:pk>/history/",
        views.TownshipPopulationHistoryView.as_view(),
        name="population-history",
    ),
    path("villages/", views.VillageListView.as_view(), name="village-list"),
    path("villages/new/", views.VillageCreateView.as_view(), name="village-create"),
    path("villages/data-quality/", views.village_data_quality, name="village-data-quality"),
    path("villages/<int:pk>/edit/", views.VillageUpdateView.as_view(), name="village-update"),
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/<int:pk>/", views.AgencyDetailView.as_view(), name="agency-detail"),
    path("agencies/<int:pk>/edit/", views.AgencyUpdateView.as_view(), name="agency-update"),
    path("duties/<int:pk>/edit/", views.AgencyDutyUpdateView.as_view(), name="duty-update"),
    path("duty-table/", views.DutyRuleListView.as_view(), name="dutyrule-list"),
    path("duty-table/new/", views.DutyRuleCreateView.as_view(), name="dutyrule-create"),
    path("duty-table/<int:pk>/edit/", views.DutyRuleUpdateView.as_view(), name="dutyrule-update"),
    path(
        "duty-table/<int:pk>/history/",
        views.DutyRuleHistoryView.as_view(),
        name="dutyrule-history",
    ),
    path("categories/new/", views.ProblemCategoryCreateView.as_view(), name="category-create"),
    path(
        "categories/<int:pk>/edit/",
        views.ProblemCategoryUpdateView.as_view(),
        name="category-update",
    ),
    path("leading-group/", views.leading_group, name="leading-group"),
    path(
        "leading-group/posts/<int:post_pk>/appoint/",
        views.MembershipCreateView.as_view(),
        name="membership-create",
    ),
    path(
        "leading-group/memberships/<int:pk>/edit/",
        views.MembershipUpdateView.as_view(),
        name="membership-update",
    ),
    path("leading-group/export/", views.leading_group_export, name="leading-group-export"),
]

urlpatterns += [
    path("meetings/", views_meetings.meeting_list, name="meeting-list"),
    path("meetings/new/", views_meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views_meetings.meeting_update, name="meeting-update"),
    path("meetings/<int:pk>/cancel/", views_meetings.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/record/", views_meetings.meeting_record, name="meeting-record"),
    path(
        "meetings/<int:pk>/action-items/new/",
        views_meetings.action_item_create,
        name="action-item-create",
    ),
    path(
        "action-items/<int:pk>/progress/",
        views_meetings.action_item_progress,
        name="action-item-progress",
    ),
    path(
        "action-items/<int:pk>/complete/",
        views_meetings.action_item_complete,
        name="action-item-complete",
    ),
    path("schedule/", views_meetings.schedule_update, name="schedule-update"),
]

urlpatterns += [
    path("calendar/", views_calendar.calendar, name="calendar"),
    path(
        "calendar/new/",
        views_calendar.HolidayArrangementCreateView.as_view(),
        name="holiday-create",
    ),
    path(
        "calendar/<int:pk>/edit/",
        views_calendar.HolidayArrangementUpdateView.as_view(),
        name="holiday-update",
    ),
    path(
        "calendar/<int:pk>/delete/",
        views_calendar.holiday_arrangement_delete,
        name="holiday-delete",
    ),
    path(
        "calendar/<int:year>/complete/",
        views_calendar.calendar_year_complete,
        name="calendar-year-complete",
    ),
    path(
        "calendar/<int:year>/reopen/",
        views_calendar.calendar_year_reopen,
        name="calendar-year-reopen",
    ),
]
