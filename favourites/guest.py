"""A guest's favourites: animal ids in their session (`{"favourites": [3, 1]}`, newest first)."""

SESSION_KEY = "favourites"


def guest_ids(session) -> list[int]:
    ids = session.get(SESSION_KEY, [])
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def guest_set(session, animal_id: int, saved: bool) -> None:
    ids = [i for i in guest_ids(session) if i != animal_id]
    if saved:
        ids.insert(0, animal_id)
    session[SESSION_KEY] = ids
    session.modified = True


def guest_clear(session) -> None:
    session.pop(SESSION_KEY, None)
