"""Re-encrypt and re-index every citizen's CPR number under the current keys.

See docs/security.md ("Rotating the CPR keys") for the whole procedure.
"""

from django.core.management.base import BaseCommand, CommandError

from citizens.services import cpr_keys_rotate


class Command(BaseCommand):
    help = ("Re-encrypts every CPR number with CSR_CPR_ENCRYPTION_KEY and re-indexes it with "
            "CSR_CPR_INDEX_KEY (all rows or none).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Only check that every stored number can be decrypted.")

    def handle(self, *args, dry_run: bool = False, **options):
        result = cpr_keys_rotate(dry_run=dry_run)
        if result.unreadable:
            raise CommandError(
                f"{len(result.unreadable)} citizen(s) cannot be decrypted with any configured "
                f"key (ids {', '.join(map(str, result.unreadable[:20]))}); nothing was changed. "
                "Add the missing key to CSR_CPR_ENCRYPTION_OLD_KEYS.")
        if dry_run:
            self.stdout.write("Every CPR number can be decrypted; nothing was changed.")
        else:
            self.stdout.write(f"Re-encrypted and re-indexed {result.rotated} citizen(s).")
