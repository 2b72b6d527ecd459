"""The public face keeps no rows of its own: it reads the registry through `selectors`."""
