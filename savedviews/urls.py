from django.urls import path

from savedviews import views

app_name = "savedviews"

urlpatterns = [
    path("saved-views/", views.SaveView.as_view(), name="save"),
    path("saved-views/<int:pk>/", views.EditView.as_view(), name="savedview-edit"),
    path(
        "saved-views/<int:pk>/update/", views.UpdateFiltersView.as_view(), name="savedview-update"
    ),
    path("saved-views/<int:pk>/delete/", views.DeleteView.as_view(), name="savedview-delete"),
]
