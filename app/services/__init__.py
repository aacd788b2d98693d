"""Process-wide services of the app: the model list, the cached translators and translations."""
