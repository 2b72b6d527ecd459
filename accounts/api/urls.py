from .views import NotificationViewSet

# (prefix, viewset, basename) registered on the portal's one API router.
routes = [("notifications", NotificationViewSet, "notification")]
