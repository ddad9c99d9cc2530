"""The demo portfolio loaded by `manage.py seed_demo`."""
