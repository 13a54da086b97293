from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (seed_demo) and the bulk seeding for the benchmarks (seed_scale). On top of
    every app and imported by none."""

    name = "demo"
    verbose_name = "Demo data"
