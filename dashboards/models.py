"""The dashboards keep no data of their own: every figure is read from the other apps."""
