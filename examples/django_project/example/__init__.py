"""The Django example project: settings, the authdeck set-up, and three views."""
