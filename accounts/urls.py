from django.urls import path

from . import privacy_views, views

app_name = "accounts"

urlpatterns = [
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("my-data/", privacy_views.my_data, name="my_data"),
    path("my-data.json", privacy_views.my_data_json, name="my_data_json"),
    path("erase/", privacy_views.erase_list, name="erase_list"),
    path("erase/<int:pk>/", privacy_views.erase_account, name="erase_account"),
]
