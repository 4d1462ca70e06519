# The programme's texts in English and French (programme/translation.py): the
# texts stored so far are the English ones.

from django.db import migrations, models

TRANSLATED = {
    'workprogramme': ['title', 'theme', 'conference_theme', 'adopted_by', 'introduction',
                      'aims_introduction', 'aims_closing', 'structure', 'evaluation'],
    'programmeaim': ['title', 'text'],
    'thematicpriority': ['title', 'rationale'],
    'priorityaim': ['text'],
    'permanentformat': ['name', 'short_name', 'beneficiaries', 'expected_results_intro'],
    'formataim': ['text'],
    'formatobjective': ['text'],
    'formatexpectedresult': ['text'],
    'adoptioncriterion': ['title', 'guidance'],
    'memberstate': ['name'],
}


def english_from_existing(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model('programme', model_name)
        for obj in model.objects.all():
            for name in fields:
                setattr(obj, f'{name}_en', getattr(obj, name))
            obj.save(update_fields=[f'{name}_en' for name in fields])



class Migration(migrations.Migration):

    dependencies = [
        ('programme', '0003_clean_control_characters'),
    ]

    operations = [
        migrations.AddField(
            model_name='adoptioncriterion',
            name='guidance_en',
            field=models.TextField(blank=True, null=True, verbose_name='guidance for assessors'),
        ),
        migrations.AddField(
            model_name='adoptioncriterion',
            name='guidance_fr',
            field=models.TextField(blank=True, null=True, verbose_name='guidance for assessors'),
        ),
        migrations.AddField(
            model_name='adoptioncriterion',
            name='title_en',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='adoptioncriterion',
            name='title_fr',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='formataim',
            name='text_en',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='formataim',
            name='text_fr',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='formatexpectedresult',
            name='text_en',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='formatexpectedresult',
            name='text_fr',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='formatobjective',
            name='text_en',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='formatobjective',
            name='text_fr',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='memberstate',
            name='name_en',
            field=models.CharField(max_length=100, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='memberstate',
            name='name_fr',
            field=models.CharField(max_length=100, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='permanentformat',
            name='beneficiaries_en',
            field=models.TextField(blank=True, null=True, verbose_name='profile of beneficiaries'),
        ),
        migrations.AddField(
            model_name='permanentformat',
            name='beneficiaries_fr',
            field=models.TextField(blank=True, null=True, verbose_name='profile of beneficiaries'),
        ),
        migrations.AddField(
            model_name='permanentformat',
            name='expected_results_intro_en',
            field=models.TextField(blank=True, null=True, verbose_name='expected results (introduction)'),
        ),
        migrations.AddField(
            model_name='permanentformat',
            name='expected_results_intro_fr',
            field=models.TextField(blank=True, null=True, verbose_name='expected results (introduction)'),
        ),
        migrations.AddField(
            model_name='permanentformat',
            name='name_en',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='permanentformat',
            name='name_fr',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='permanentformat',
            name='short_name_en',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='short name'),
        ),
        migrations.AddField(
            model_name='permanentformat',
            name='short_name_fr',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='short name'),
        ),
        migrations.AddField(
            model_name='priorityaim',
            name='text_en',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='priorityaim',
            name='text_fr',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='programmeaim',
            name='text_en',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='programmeaim',
            name='text_fr',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='programmeaim',
            name='title_en',
            field=models.CharField(max_length=100, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='programmeaim',
            name='title_fr',
            field=models.CharField(max_length=100, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='thematicpriority',
            name='rationale_en',
            field=models.TextField(blank=True, null=True, verbose_name='rationale'),
        ),
        migrations.AddField(
            model_name='thematicpriority',
            name='rationale_fr',
            field=models.TextField(blank=True, null=True, verbose_name='rationale'),
        ),
        migrations.AddField(
            model_name='thematicpriority',
            name='title_en',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='thematicpriority',
            name='title_fr',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='adopted_by_en',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='adopted by'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='adopted_by_fr',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='adopted by'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='aims_closing_en',
            field=models.TextField(blank=True, null=True, verbose_name='after the aims'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='aims_closing_fr',
            field=models.TextField(blank=True, null=True, verbose_name='after the aims'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='aims_introduction_en',
            field=models.TextField(blank=True, null=True, verbose_name='introduction to the aims'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='aims_introduction_fr',
            field=models.TextField(blank=True, null=True, verbose_name='introduction to the aims'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='conference_theme_en',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='theme of the Ministerial Conference'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='conference_theme_fr',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='theme of the Ministerial Conference'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='evaluation_en',
            field=models.TextField(blank=True, null=True, verbose_name='evaluation'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='evaluation_fr',
            field=models.TextField(blank=True, null=True, verbose_name='evaluation'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='introduction_en',
            field=models.TextField(blank=True, null=True, verbose_name='introduction'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='introduction_fr',
            field=models.TextField(blank=True, null=True, verbose_name='introduction'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='structure_en',
            field=models.TextField(blank=True, null=True, verbose_name='structure'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='structure_fr',
            field=models.TextField(blank=True, null=True, verbose_name='structure'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='theme_en',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='theme'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='theme_fr',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='theme'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='title_en',
            field=models.CharField(max_length=200, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='workprogramme',
            name='title_fr',
            field=models.CharField(max_length=200, null=True, verbose_name='title'),
        ),
        migrations.RunPython(english_from_existing, migrations.RunPython.noop),
    ]
