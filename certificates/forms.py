"""The base of the certificate forms: labels above their inputs, and the record's version."""

from django import forms


class CertificateForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        # Labels stand on their own line above the input; a trailing colon adds nothing.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionedForm(CertificateForm):
    """`version` is the one of the record the form was rendered from (stale edits)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
