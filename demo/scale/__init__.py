"""Production-sized data for the scale bench (`manage.py seed_scale`, bench/scale.py)."""
