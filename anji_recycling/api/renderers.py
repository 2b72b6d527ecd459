"""The browsable API without its generated forms.

DRF's browsable API renders an HTML form for every write the endpoint allows and a filter
form, and fills their selects with the related model's rows as the serializer and the
FilterSet declare them: every operator and site of the county, whoever asks (even on a 404
answer). The portal's scope lives in `visible_to`, not in those querysets, so the pages show
only the raw JSON form (it lists no rows) and no filter form; the JSON answers are unchanged.
"""

from rest_framework.renderers import BrowsableAPIRenderer


class PortalBrowsableAPIRenderer(BrowsableAPIRenderer):
    def get_rendered_html_form(self, data, view, method, request):
        return None

    def get_filter_form(self, data, view, request):
        return None
