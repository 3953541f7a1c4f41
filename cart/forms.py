from django import forms

from cart.cart import MAX_ANIMAL_ID, MAX_QUANTITY


class _CartForm(forms.Form):
    animal_id = forms.IntegerField(
        min_value=1,
        max_value=MAX_ANIMAL_ID,
        error_messages={
            "required": "Choose an animal.",
            "invalid": "That animal could not be found.",
            "min_value": "That animal could not be found.",
            "max_value": "That animal could not be found.",
        },
    )

    def error_text(self) -> str:
        """All errors as one sentence for a flash message (the cart forms post, then redirect)."""
        return " ".join(str(error) for errors in self.errors.values() for error in errors)


class CartAddForm(_CartForm):
    quantity = forms.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages={
            "required": "Enter a quantity.",
            "invalid": "Enter the quantity as a whole number.",
            "min_value": "The quantity must be at least 1.",
            "max_value": f"The quantity can be at most {MAX_QUANTITY}.",
        },
    )


class CartUpdateForm(CartAddForm):
    pass


class CartRemoveForm(_CartForm):
    pass
