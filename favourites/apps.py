from django.apps import AppConfig


class FavouritesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "favourites"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from favourites import views

        user_logged_in.connect(views.guest_favourites_join_account, dispatch_uid="favourites-join-account")
