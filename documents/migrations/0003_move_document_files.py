from django.db import migrations


def move_files(apps, schema_editor):
    """Document files uploaded before 0002 lie in MEDIA_ROOT/documents/, which a web server may
    serve under /media/; they move to the document storage (DOCUMENTS_ROOT). Files kept under a
    name that is already taken there get a free name, and the document row follows."""
    from documents.storage import move_to_document_storage

    Document = apps.get_model("documents", "IntranetDocument")
    counts = move_to_document_storage(Document.objects.all())
    if counts["moved"] or counts["missing"]:
        print(  # shown by manage.py migrate, once
            f"\n  document files moved to the document storage: {counts['moved']}, "
            f"missing in both storages: {counts['missing']}"
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_private_document_storage")]

    # Moving back is not done: the files are safer where they are now.
    operations = [migrations.RunPython(move_files, migrations.RunPython.noop, elidable=False)]
