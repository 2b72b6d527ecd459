"""The township page's assessments: the latest result of each scheme (the commerce bureau's
long-term management check, 美丽乡村长效管理 and 生态文明建设), from the assessments app."""

from django import template

from ..selectors import latest_results_by_scheme

register = template.Library()


@register.inclusion_tag("assessments/township_results.html")
def township_assessments(township, user):
    return {"results": latest_results_by_scheme(township=township, user=user)}
