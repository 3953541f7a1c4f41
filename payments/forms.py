from django import forms


class RefundForm(forms.Form):
    """Staff choose the whole order or some lines, and whether the animals go back to stock."""

    WHOLE, LINES = "whole", "lines"

    scope = forms.ChoiceField(
        choices=[(WHOLE, "The whole order (everything not refunded yet)"), (LINES, "Only the lines ticked below")],
        initial=WHOLE,
        widget=forms.RadioSelect,
        label="What to refund",
    )
    items = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Lines"
    )
    restock = forms.BooleanField(required=False, label="Return the animals to stock")

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [
            (item.pk, f"{item.quantity} × {item.animal_name} ({item.line_total})") for item in items
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.LINES and not cleaned.get("items"):
            self.add_error("items", "Tick at least one line to refund.")
        return cleaned

    def item_ids(self):
        """None for the whole order, else the chosen line ids."""
        return None if self.cleaned_data["scope"] == self.WHOLE else self.cleaned_data["items"]
