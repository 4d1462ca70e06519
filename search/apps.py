from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search over activities, proposals, meetings, priorities and formats: above
    the apps it reads (programme, activities, proposals), below the portal."""

    name = "search"
    verbose_name = "Search"
