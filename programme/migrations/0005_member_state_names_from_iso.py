# The member states' names in English and French from ISO 3166 (django-countries,
# with the Council of Europe's usage where it differs: pompidou/lib/countries.py), for
# the databases loaded before the names had a French column to fill. Reversing
# leaves the names as they are.

from django.db import migrations


def names_from_iso(apps, schema_editor):
    from pompidou.lib.countries import UnknownCountryCode, country_names

    MemberState = apps.get_model("programme", "MemberState")
    for state in MemberState.objects.all():
        try:
            names = country_names(state.code)
        except UnknownCountryCode:
            continue  # not an ISO code: keep what the Secretariat typed
        state.name = names["en"]
        state.name_en = names["en"]
        state.name_fr = names["fr"]
        state.save(update_fields=["name", "name_en", "name_fr"])


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0004_translated_texts"),
    ]

    operations = [
        migrations.RunPython(names_from_iso, migrations.RunPython.noop),
    ]
