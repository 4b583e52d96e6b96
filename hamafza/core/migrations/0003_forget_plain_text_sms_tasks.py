"""Rows of the removed `send_sms_task` kept each SMS's text, tracking codes included, in
plain text, and can no longer run (the task is gone): erase them. Their notices are lost;
the tracking code can be asked for again from the «lost my tracking code» page."""

from django.db import migrations

OLD_TASK = "hamafza.core.tasks.send_sms_task"


def forget(apps, schema_editor):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path=OLD_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_sms_notices_and_account_alerts"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
