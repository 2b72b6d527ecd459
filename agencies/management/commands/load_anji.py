from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from agencies.reference import load_reference_data


class Command(BaseCommand):
    help = "Load Anji's townships, villages, agencies, duties, duty table and leading-group posts."

    def handle(self, *args, **options):
        report = load_reference_data()
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS(_("Anji reference data loaded.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Anji reference data already up to date.")))
