import importlib

from django.apps import AppConfig

# (module, function) pairs registering each area's audit labels, so histories read as words.
LABELS = [
    ("supervision.draws.services", "register_draw_labels"),
    ("supervision.inspections.services", "register_inspection_labels"),
    ("supervision.complaints.services", "register_complaint_labels"),
    ("supervision.annual.services", "register_annual_labels"),
]


class SupervisionConfig(AppConfig):
    name = "supervision"

    def ready(self) -> None:
        for module, function in LABELS:
            getattr(importlib.import_module(module), function)()
