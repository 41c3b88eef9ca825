import importlib
import random

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from faker import Faker

from csrprogram.demo import DemoContext


class Command(BaseCommand):
    help = "Creates the demo programmes, users and data. Safe to run again."

    def handle(self, *args, **options):
        faker = Faker("da_DK")
        # Fixed seeds: the same demo every time, and a re-run finds its own rows again.
        faker.seed_instance(2017)
        context = DemoContext(faker=faker, rng=random.Random(2017))
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app_config.name}.demo":
                        raise
                    continue
                self.stdout.write(f"Seeding {app_config.label} …")
                module.seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
