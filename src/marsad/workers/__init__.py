"""Distributed workers: the same stages as the inline runner, as Celery tasks."""
