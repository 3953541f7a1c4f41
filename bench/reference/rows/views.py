from django.http import JsonResponse
from django.shortcuts import render

from rows.models import Row


def row_list(request):
    return render(request, "rows/row_list.html", {"rows": Row.objects.all()[:24]})


def row_list_json(request):
    """The JSON API's yardstick: 24 rows as JSON, with nothing else (no auth, no throttling, no schema)."""
    rows = [
        {"id": row["id"], "name": row["name"], "price": str(row["price"]), "created_at": row["created_at"].isoformat()}
        for row in Row.objects.values("id", "name", "price", "created_at")[:24]
    ]
    return JsonResponse({"count": len(rows), "results": rows})
