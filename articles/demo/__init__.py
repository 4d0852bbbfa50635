"""The demo newsroom loaded by `manage.py seed_demo`: its invented content (content.py) and the loader that
writes it through the one write path (loader.py). Only management commands and tests import it."""
