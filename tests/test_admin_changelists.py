"""Every admin changelist gets the sturdy checks, whatever class its admin chose."""

from django.contrib import admin
from django.test import RequestFactory

from core.changelist import SturdyChangeList
from partners.models import Partnership


def changelist_class(model, user):
    import genopole_crm.urls  # noqa: F401  (it applies use_sturdy_changelists once admins load)

    request = RequestFactory().get("/")
    request.user = user
    return admin.site._registry[model].get_changelist(request)


def test_a_changelist_sorted_by_labels_is_sturdy_too(admin_user):
    changelist = changelist_class(Partnership, admin_user)

    assert issubclass(changelist, SturdyChangeList)
    # Its own ordering by translated labels is still in the chain, behind the checks.
    assert "ByLabels" in [cls.__name__ for cls in changelist.__mro__]


def test_a_stock_changelist_is_sturdy(admin_user):
    from django.contrib.auth.models import Group

    assert issubclass(changelist_class(Group, admin_user), SturdyChangeList)


def test_a_sturdy_changelist_is_not_wrapped_twice(admin_user):
    changelist = changelist_class(Partnership, admin_user)

    assert [cls for cls in changelist.__mro__ if cls is SturdyChangeList] == [SturdyChangeList]
    assert changelist.__mro__[1] is SturdyChangeList
