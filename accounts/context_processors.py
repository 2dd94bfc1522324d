from django.urls import reverse

from accounts.roles import NAVIGATION


def navigation(request):
    """The staff menu: only the parts of the portal the signed-in user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_centre_staff:
        return {"staff_navigation": []}
    current = request.path
    items = []
    for permission, url_name, label in NAVIGATION:
        if user.has_perm(permission):
            url = reverse(url_name)
            items.append({"url": url, "label": label, "current": current.startswith(url)})
    return {"staff_navigation": items}
