from . import urls_coordinator, urls_public, urls_reports

app_name = "mawkib"
urlpatterns = [*urls_public.urlpatterns, *urls_coordinator.urlpatterns, *urls_reports.urlpatterns]
