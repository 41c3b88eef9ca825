"""URLs of the relations app (mounted at the site root by csrprogram/urls.py)."""

from django.urls import path

from relations import views

app_name = "relations"

urlpatterns = [
    path("arrangementer/", views.EventListView.as_view(), name="event-list"),
    path("arrangementer/nyt/", views.EventCreateView.as_view(), name="event-create"),
    path("arrangementer/<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("arrangementer/<int:pk>/rediger/", views.EventUpdateView.as_view(),
         name="event-update"),
    path("arrangementer/<int:pk>/fortaellinger/", views.EventStoriesView.as_view(),
         name="event-stories"),
    path("arrangementer/<int:pk>/fortaellinger/<int:story>/fjern/",
         views.EventStoryRemoveView.as_view(), name="event-story-remove"),
    path("arrangementer/<int:pk>/inviter/", views.EventInviteView.as_view(),
         name="event-invite"),
    path("arrangementer/<int:pk>/send/", views.EventSendView.as_view(), name="event-send"),
    path("arrangementer/<int:pk>/kalender.ics", views.EventIcalView.as_view(),
         name="event-ical"),
    path("arrangementer/<int:pk>/spot-et-job/", views.EventSpotView.as_view(),
         name="event-spot"),
    path("arrangementer/<int:pk>/spot-et-job/import/", views.EventSpotImportView.as_view(),
         name="event-spot-import"),
    path("invitationer/<int:pk>/brev.pdf", views.InvitationLetterView.as_view(),
         name="invitation-letter"),
    path("invitationer/<int:pk>/svar/", views.InvitationRsvpView.as_view(),
         name="invitation-rsvp"),
    path("spottede-job/<int:pk>/kontaktet/", views.SpottedContactedView.as_view(),
         name="spotted-contacted"),
    path("netvaerk/", views.NetworkListView.as_view(), name="network-list"),
    path("netvaerk/nyt/", views.NetworkCreateView.as_view(), name="network-create"),
    path("netvaerk/<int:pk>/", views.NetworkDetailView.as_view(), name="network-detail"),
    path("netvaerk/<int:pk>/medlemmer/<int:membership>/udtraed/",
         views.MembershipLeaveView.as_view(), name="membership-leave"),
    path("netvaerk/<int:pk>/medlemmer/<int:membership>/repraesentant/",
         views.MembershipRepresentativeView.as_view(), name="membership-representative"),
    path("mentorkurser/", views.CourseListView.as_view(), name="course-list"),
    path("mentorkurser/nyt/", views.CourseCreateView.as_view(), name="course-create"),
    path("mentorkurser/<int:pk>/", views.CourseDetailView.as_view(), name="course-detail"),
    path("mentorkurser/deltager/<int:pk>/bevis.pdf", views.TraineeCertificateView.as_view(),
         name="trainee-certificate"),
    path("virksomheder/<int:pk>/kontakt/", views.ContactCreateView.as_view(),
         name="contact-create"),
    path("virksomheder/<int:pk>/ansvarlig/", views.ResponsibleSetView.as_view(),
         name="responsible-set"),
    path("kontaktlog/<int:pk>/udfoert/", views.NextStepDoneView.as_view(),
         name="next-step-done"),
]
