"""Moving in from WordPress: `manage.py import_wordpress` and the old addresses it keeps answering."""
