from django.contrib import admin

from alerts.models import Alert, AlertMatch


class AlertMatchInline(admin.TabularInline):
    model = AlertMatch
    extra = 0
    raw_id_fields = ["animal"]
    readonly_fields = ["created_at", "sent_on"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["email", "description", "created_at", "confirmed_at", "last_digest_on"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), "last_digest_on"]
    search_fields = ["email", "description"]
    readonly_fields = ["query", "created_at", "confirmed_at", "last_digest_on"]
    inlines = [AlertMatchInline]
