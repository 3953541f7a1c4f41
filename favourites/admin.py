from django.contrib import admin

from favourites.models import Favourite


@admin.register(Favourite)
class FavouriteAdmin(admin.ModelAdmin):
    list_display = ["animal", "user", "created_at", "notify_requested_at"]
    list_filter = ["created_at"]
    search_fields = ["user__email", "animal__name"]
    list_select_related = ["animal", "user"]
    raw_id_fields = ["user", "animal"]
