from django.db import migrations

# (slug, name, cluster, in pilot scope, kinds of case)
LEGAL_AREAS = [
    ("vreemdelingenrecht", "Vreemdelingenrecht", "vreemdelingenrecht", True, [
        "Verblijfsvergunning (regulier)", "Gezinshereniging", "Naturalisatie", "Asiel",
        "Verblijfsrecht EU-burgers", "Inburgering",
    ]),
    ("verbintenissenrecht", "Verbintenissenrecht", "civiel", True, [
        "Overeenkomsten en koop", "Schulden en incasso", "Aansprakelijkheid en schade",
    ]),
    ("huurrecht", "Huurrecht", "civiel", True, [
        "Huurprijs en huurverhoging", "Onderhoud en gebreken", "Huurachterstand en ontruiming",
        "Servicekosten", "Borg", "Opzegging",
    ]),
    ("consumentenrecht", "Consumentenrecht", "civiel", True, [
        "Koop op afstand en garantie", "Energie en telecom", "Abonnementen", "Colportage",
    ]),
    ("arbeidsrecht", "Arbeidsrecht", "werk_inkomen", True, [
        "Ontslag", "Loonvordering", "(Tijdelijk) arbeidscontract", "Ziekte en re-integratie",
        "Concurrentiebeding",
    ]),
    ("sociale-voorzieningen", "Sociale voorzieningen", "werk_inkomen", True, [
        "Bijstand (Participatiewet)", "Wmo-ondersteuning", "Jeugdhulp (Jeugdwet)", "Toeslagen",
        "Bijzondere bijstand", "Terugvordering en boete",
    ]),
    ("sociale-verzekeringen", "Sociale verzekeringen", "werk_inkomen", True, [
        "WW", "WIA, WAO en Wajong", "Ziektewet", "AOW en Anw", "Kinderbijslag (AKW)",
        "Terugvordering",
    ]),
    ("familierecht", "Familierecht (buiten de pilot)", "buiten_pilot", False, []),
    ("overig", "Overig (buiten de pilot)", "buiten_pilot", False, []),
]

COUNTERPARTIES = [
    "UWV", "SVB", "IND", "Gemeente", "Belastingdienst/Toeslagen", "Woningcorporatie",
    "Particuliere verhuurder", "Werkgever", "Uitzendbureau", "Zorgverzekeraar",
    "Energieleverancier", "Telecomaanbieder", "Webwinkel of verkoper", "Incassobureau",
    "Gerechtsdeurwaarder", "CJIB", "DUO", "Anders",
]


def add_reference_data(apps, schema_editor):
    LegalArea = apps.get_model("cases", "LegalArea")
    KindOfCase = apps.get_model("cases", "KindOfCase")
    Counterparty = apps.get_model("cases", "Counterparty")
    for position, (slug, name, cluster, scope, kinds) in enumerate(LEGAL_AREAS, start=1):
        area, _ = LegalArea.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "cluster": cluster, "in_pilot_scope": scope, "position": position},
        )
        for kind in kinds:
            KindOfCase.objects.get_or_create(legal_area=area, name=kind)
    for position, name in enumerate(COUNTERPARTIES, start=1):
        Counterparty.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(add_reference_data, migrations.RunPython.noop)]
