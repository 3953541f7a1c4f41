"""Reads of alerts: a selection's filters, its canonical query and description, a customer's alerts.

A selection is validated by the catalogue's own filter form (animals.forms.AnimalFilterForm, with the choices
of the whole catalogue) and animals are matched by that form's `filter()`: a filter the catalogue gains works
for alerts with no change here.
"""

from django import forms
from django.http import QueryDict

from alerts.models import Alert
from animals.forms import AnimalFilterForm
from animals.selectors import filter_choices

NOT_WATCHED = {"sort", "page"}  # the order of a page, not what it selects


def selection_filters(query: str) -> AnimalFilterForm:
    """The catalogue's filter form over `query` ("species=rabbits&sex=female"); invalid values are ignored."""
    return AnimalFilterForm(QueryDict(query), choices=filter_choices())


def selection_query(filters: AnimalFilterForm) -> str:
    """The valid filters of `filters` as a query string, in the form's order, without the sort order."""
    query = QueryDict(filters.query_string(), mutable=True)
    for name in NOT_WATCHED:
        query.pop(name, None)
    return query.urlencode()


def _choice_label(choices, value) -> str:
    for key, label in choices:
        if isinstance(label, list | tuple):
            found = _choice_label(label, value)
            if found:
                return found
        elif str(key) == str(value):
            return str(label)
    return ""


def selection_describe(filters: AnimalFilterForm) -> str:
    """What a selection watches, for people: "Rabbit · Female · Max price: 100.00"."""
    data = filters.valid_data()
    parts = []
    for name, field in filters.fields.items():
        if name not in data or name in NOT_WATCHED:
            continue
        value = data[name]
        if isinstance(field, forms.ChoiceField):
            parts.append(_choice_label(field.choices, value) or str(value))
        elif isinstance(field, forms.BooleanField):
            parts.append(str(field.label or name))
        elif name == "q":
            parts.append(f"“{value}”")
        else:
            parts.append(f"{field.label or name}: {value}")
    return " · ".join(parts) or "Any animal"


def alerts_for_email(*, email: str) -> list[Alert]:
    """The confirmed and unconfirmed alerts of one address (a customer's own, in their account)."""
    return list(Alert.objects.for_email(email))
