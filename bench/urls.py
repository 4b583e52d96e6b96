"""Hamafza's own routes, and the two baselines: the least a Django view that writes
(/bench/bare-insert) or reads (/bench/bare-read) can do, in the same processes."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hamafza.core.models import AuditEntry
from hamafza.publishing.models import Post
from hamafza.urls import urlpatterns as hamafza_urlpatterns


@csrf_exempt
@require_POST
def bare_insert(request):
    """One row, one transaction."""
    AuditEntry.objects.create(action="bench.bare_insert")
    return JsonResponse({"ok": True}, status=201)


@require_GET
def bare_read(request):
    """One small query, JSON out, no template."""
    row = (
        Post.objects.filter(published_at__isnull=False)
        .values("id", "title")
        .order_by("-published_at")
        .first()
    )
    return JsonResponse({"post": row})


urlpatterns = [
    path("bench/bare-insert", bare_insert),
    path("bench/bare-read", bare_read),
    *hamafza_urlpatterns,
]
