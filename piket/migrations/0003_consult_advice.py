import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# A link must join the advice of the consult's own advocaat, given after a piket consult, on a
# sub-problem of the consult's case; `subproblem` must be the advice's (it carries the
# uniqueness per consult and sub-problem).
SQL = """
CREATE OR REPLACE FUNCTION piket_consultadvice_matches() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM cases_secondlineadvice advice
        JOIN cases_subproblem sub ON sub.id = advice.subproblem_id
        JOIN piket_consult consult ON consult.id = NEW.consult_id
        WHERE advice.id = NEW.advice_id
          AND advice.subproblem_id = NEW.subproblem_id
          AND advice.advocaat_id = consult.advocaat_id
          AND advice.occasion = 'piket'
          AND sub.case_id = consult.case_id
    ) THEN
        RAISE EXCEPTION 'piket_consultadvice_matches: advice % does not belong to consult %',
            NEW.advice_id, NEW.consult_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER piket_consultadvice_matches
    BEFORE INSERT OR UPDATE ON piket_consultadvice
    FOR EACH ROW EXECUTE FUNCTION piket_consultadvice_matches();
"""

REVERSE = """
DROP TRIGGER IF EXISTS piket_consultadvice_matches ON piket_consultadvice;
DROP FUNCTION IF EXISTS piket_consultadvice_matches();
"""


def link_existing_advice(apps, schema_editor):
    """Advice recorded before it was linked to a consult stays; it answers for the advocaat's
    most recent held consult on the case, when there is one (it is then advice of that
    consult), and otherwise stays advice through the case."""
    SecondLineAdvice = apps.get_model("cases", "SecondLineAdvice")
    Consult = apps.get_model("piket", "Consult")
    ConsultAdvice = apps.get_model("piket", "ConsultAdvice")
    latest_held = (
        Consult.objects.filter(
            case_id=OuterRef("subproblem__case_id"),
            advocaat_id=OuterRef("advocaat_id"),
            status="gehouden",
        )
        .order_by("-starts_at", "-pk")
        .values("pk")[:1]
    )
    links = list(
        SecondLineAdvice.objects.annotate(held_consult=Subquery(latest_held))
        .filter(held_consult__isnull=False)
        .values_list("pk", "subproblem_id", "held_consult")
    )
    SecondLineAdvice.objects.filter(pk__in=[pk for pk, _sub, _consult in links]).update(
        occasion="piket"
    )
    ConsultAdvice.objects.bulk_create(
        ConsultAdvice(advice_id=pk, subproblem_id=sub, consult_id=consult)
        for pk, sub, consult in links
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_advice_occasion"),
        ("piket", "0002_piket_rules"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConsultAdvice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "advice",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="consult_link",
                        to="cases.secondlineadvice",
                    ),
                ),
                (
                    "consult",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="advice_links",
                        to="piket.consult",
                    ),
                ),
                (
                    "subproblem",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.subproblem",
                    ),
                ),
            ],
            options={
                "verbose_name": "advies na een piketconsult",
                "verbose_name_plural": "adviezen na piketconsulten",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("consult", "subproblem"),
                        name="consult_advice_once_per_subproblem",
                    )
                ],
            },
        ),
        migrations.RunPython(link_existing_advice, migrations.RunPython.noop),
        migrations.RunSQL(SQL, REVERSE),
    ]
