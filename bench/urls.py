from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from genopole_crm.urls import urlpatterns as app_urlpatterns

TRIVIAL_URL = "/bench/trivial/"


@login_required
def trivial(request):
    """The yardstick: the app's base template around an empty page, for a logged-in user."""
    return render(request, "bench/trivial.html")


urlpatterns = [path(TRIVIAL_URL.strip("/") + "/", trivial, name="bench-trivial"), *app_urlpatterns]
