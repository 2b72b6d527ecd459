"""Models of this app arrive with their issue (see the README's layout)."""
