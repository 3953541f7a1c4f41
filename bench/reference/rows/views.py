from django.shortcuts import render

from rows.models import Row


def row_list(request):
    return render(request, "rows/row_list.html", {"rows": Row.objects.all()[:24]})
