from django.utils.functional import SimpleLazyObject

from favourites import guest, selectors


def favourites(request):
    """`favourite_ids`: the visitor's saved animals, read only by a page that shows hearts (one query for a
    customer, none for a guest). Never inside a cached fragment: the heart form that carries them is per visitor."""

    def ids():
        user = getattr(request, "user", None)
        return selectors.favourite_ids(user=user, guest_ids=guest.guest_ids(request.session))

    return {"favourite_ids": SimpleLazyObject(ids)}
