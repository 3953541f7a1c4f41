from django import forms


class AlertForm(forms.Form):
    email = forms.EmailField(label="E-mail", max_length=254)
    # The selection (validated again by the catalogue's filter form when the alert is made).
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)
