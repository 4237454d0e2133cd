from django.urls import path

from core.saved_views import views

app_name = "core"

urlpatterns = [
    path("saved-views/", views.SaveView.as_view(), name="savedview-add"),
    path("saved-views/<int:pk>/", views.EditView.as_view(), name="savedview-edit"),
    path(
        "saved-views/<int:pk>/update/", views.UpdateFiltersView.as_view(), name="savedview-update"
    ),
    path("saved-views/<int:pk>/delete/", views.DeleteView.as_view(), name="savedview-delete"),
]
