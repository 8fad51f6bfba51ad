from django.urls import path

from cases import converters  # noqa: F401 - registers <casenr:…>
from piket.views import booking as booking_views
from piket.views import consults as consult_views
from piket.views import roster as roster_views
from piket.views import rules as rules_views

app_name = "piket"

urlpatterns = [
    # booking and the advocaat's day (piket/views/booking.py)
    path("boeken/<str:number>/", booking_views.book, name="book"),
    path("boeken/<str:number>/vrije-tijden/", booking_views.booking_slots, name="booking_slots"),
    path("geboekt/<int:pk>/", booking_views.booked, name="booked"),
    path("vandaag/", booking_views.day, name="day"),
    # rosters, duty, week view, capacity, statements (piket/views/roster.py)
    path("roosters/", roster_views.roster_list, name="rosters"),
    path("roosters/nieuw/", roster_views.roster_new, name="roster_new"),
    path("roosters/<int:pk>/", roster_views.roster_edit, name="roster_edit"),
    path(
        "roosters/<int:pk>/deactiveren/",
        roster_views.roster_deactivate,
        name="roster_deactivate",
    ),
    path("roosters/uitzondering/", roster_views.exception_new, name="exception_new"),
    path("diensten/<int:pk>/", roster_views.shift_detail, name="shift"),
    path("diensten/<int:pk>/aanmelden/", roster_views.shift_sign_up, name="shift_sign_up"),
    path(
        "indelingen/<int:pk>/verwijderen/",
        roster_views.assignment_remove,
        name="assignment_remove",
    ),
    path("indelingen/<int:pk>/ruilen/", roster_views.swap_offer, name="swap_offer"),
    path(
        "ruil/<int:pk>/<str:answer>/",
        roster_views.swap_answer,
        name="swap_answer",
    ),
    path("profiel/", roster_views.profile, name="profile"),
    path("advocaten/", roster_views.profile_list, name="profiles"),
    path("advocaten/<int:user_id>/", roster_views.profile_edit, name="profile_edit"),
    path("week/", roster_views.week, name="week"),
    path("capaciteit/", roster_views.capacity, name="capacity"),
    path("overzicht/", roster_views.statements, name="statements"),
    path("overzicht/<int:year>/<int:month>.csv", roster_views.statement, name="statement"),
    path("mijn-overzicht/", roster_views.my_statements, name="my_statements"),
    path(
        "mijn-overzicht/<int:year>/<int:month>.csv",
        roster_views.my_statement,
        name="my_statement",
    ),
    # calendar feed, waitlist, changes to consults (piket/views/consults.py)
    path("consult/<int:pk>/", consult_views.consult_detail, name="consult"),
    path("consult/<int:pk>/annuleren/", consult_views.consult_cancel, name="consult_cancel"),
    path("consult/<int:pk>/verplaatsen/", consult_views.consult_move, name="consult_move"),
    path("consult/<int:pk>/gehouden/", consult_views.consult_held, name="consult_held"),
    path("consult/<int:pk>/advies/", consult_views.consult_advice, name="consult_advice"),
    path(
        "consult/<int:pk>/niet-doorgegaan/", consult_views.consult_no_show, name="consult_no_show"
    ),
    path(
        "consult/<int:pk>/niet-bereikt/",
        consult_views.consult_not_reached,
        name="consult_not_reached",
    ),
    path("mijn-consulten/", consult_views.my_consults, name="my_consults"),
    path("agenda/", consult_views.calendar, name="calendar"),
    path("agenda/feed/<str:token>.ics", consult_views.feed, name="feed"),
    path("wachtlijst/", consult_views.waitlist_page, name="waitlist"),
    path("wachtlijst/nieuw/<casenr:number>/", consult_views.waitlist_join, name="waitlist_join"),
    path("wachtlijst/<int:pk>/accepteren/", consult_views.waitlist_accept, name="waitlist_accept"),
    path("wachtlijst/<int:pk>/verlaten/", consult_views.waitlist_leave, name="waitlist_leave"),
    # the pilot's piket rules (piket/views/rules.py)
    path("regels/", rules_views.piket_rules, name="rules"),
]
