"""`hamafza worker`: runs queued background tasks (all queues unless told otherwise)."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = "اجرای کارهای پس‌زمینه (همه صف‌ها)"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")
