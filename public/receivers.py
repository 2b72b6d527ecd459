"""Cache invalidation for the public pages (public/cache.py): the one place the public face
listens to the registry. No domain flow here, only version bumps."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from agencies.models import Township, Village
from sites.models import Material, Operator, Site
from trade.models import MaterialGrade, PriceEntry

from . import cache


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_saved(sender, instance, **kwargs):
    cache.site_changed(instance.pk)


@receiver(m2m_changed, sender=Site.materials.through)
def site_materials_changed(sender, instance, **kwargs):
    if isinstance(instance, Site):
        cache.site_changed(instance.pk)
    else:
        cache.everything_changed()


@receiver(post_save, sender=Operator)
@receiver(post_delete, sender=Operator)
def operator_saved(sender, instance, **kwargs):
    cache.sites_changed(Site.objects.filter(operator=instance).values_list("pk", flat=True))


@receiver(post_save, sender=PriceEntry)
@receiver(post_delete, sender=PriceEntry)
@receiver(post_save, sender=MaterialGrade)
@receiver(post_save, sender=Material)
@receiver(post_save, sender=Township)
@receiver(post_save, sender=Village)
def shared_data_saved(sender, **kwargs):
    cache.everything_changed()
