"""A deliberately bad view, used only to prove the query-budget harness catches N+1 queries."""

from django.http import HttpResponse
from django.urls import path

from csrprogram.models import Programme


def programmes_n_plus_one(request):
    names = [f"{p.name}: {p.members.count()}" for p in Programme.objects.all()]
    return HttpResponse("\n".join(names))


urlpatterns = [path("n-plus-one/", programmes_n_plus_one, name="n-plus-one")]
