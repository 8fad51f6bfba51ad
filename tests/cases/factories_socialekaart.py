from __future__ import annotations

import factory

from cases.models import SocialMapEntry


class SocialMapEntryFactory(factory.django.DjangoModelFactory):
    """An entry of the sociale kaart: `SocialMapEntryFactory(location=utrecht, owner=carla)`."""

    class Meta:
        model = SocialMapEntry
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Hulporganisatie {n}")
    contact_route = "Bel 0800-1234 of meld u aan via de website"
    kinds_of_help = factory.LazyFunction(lambda: [SocialMapEntry.Help.DEBT])

    @factory.post_generation
    def legal_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.legal_areas.set(extracted)
