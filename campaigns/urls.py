from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    # brand side
    path("brand/campaigns/", views.brand_list, name="brand_list"),
    path("brand/campaigns/new/", views.campaign_create, name="create"),
    path("brand/campaigns/spec-row/", views.spec_row, name="spec_row"),
    path("brand/campaigns/<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("brand/campaigns/<int:pk>/do/<slug:action>/", views.campaign_action, name="campaign_action"),
    path("brand/campaigns/<int:pk>/applicants/", views.applicants, name="applicants"),
    path("brand/campaigns/<int:pk>/recommended/", views.recommended, name="recommended"),
    path("brand/campaigns/<int:pk>/compare/", views.compare, name="compare"),
    path("brand/campaigns/<int:pk>/invite/", views.invite, name="invite"),
    path("brand/invite/", views.invite_any, name="invite_any"),
    path("brand/campaigns/<int:pk>/references/", views.reference_image, name="reference_image"),
    # creator side
    path("campaigns/", views.browse, name="browse"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="detail"),
    path("campaigns/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/", views.my_applications, name="my_applications"),
    # both
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/do/<slug:action>/", views.application_action, name="application_action"),
    path("applications/<int:pk>/messages/", views.post_message, name="message"),
    path("applications/<int:pk>/messages/new/", views.thread_new_rows, name="thread_new"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/rows/", views.inbox_new_rows, name="inbox_new"),
    path("applications/<int:pk>/review/", views.application_review, name="review"),
    path("applications/<int:pk>/reviews/<int:review_pk>/reply/", views.review_reply, name="review_reply"),
    path("brands/<int:pk>/", views.brand_page, name="brand_page"),
    path("deliverables/<int:pk>/do/<slug:action>/", views.deliverable_action, name="deliverable_action"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
