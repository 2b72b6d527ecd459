"""The operator page's support section, from the support app (the registry does not read it)."""

from django import template

from accounts.access import publishes_notices, reads_support, records_subsidies

from .. import selectors

register = template.Library()


@register.inclusion_tag("support/operator_support.html")
def operator_support(operator, user):
    """Subsidies, awards and land support an operator received, in the reader's scope."""
    return {
        "operator": operator,
        **selectors.support_received(operator=operator, user=user),
        "can_add": records_subsidies(user),
        "can_publish": publishes_notices(user),
        "reads_support": reads_support(user),
    }


@register.inclusion_tag("support/project_support.html")
def project_support(project, user):
    """The subsidies and awards a network project received, in the reader's scope."""
    return {
        "project": project,
        **selectors.project_support(project=project, user=user),
        "can_add": records_subsidies(user),
    }
