from django.db import migrations

LOCATIONS = [
    ("Amsterdam", "amsterdam", False),
    ("Utrecht", "utrecht", False),
    ("Zwolle", "zwolle", False),
    ("Nijmegen", "nijmegen", False),
    ("Middelburg", "middelburg", False),
    ("Landelijk", "landelijk", True),
]


def add_locations(apps, schema_editor):
    Location = apps.get_model("accounts", "Location")
    for name, slug, national in LOCATIONS:
        Location.objects.get_or_create(slug=slug, defaults={"name": name, "is_national": national})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(add_locations, migrations.RunPython.noop)]
