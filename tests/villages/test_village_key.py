"""Every table of village data is keyed by village; only a short, named list is not."""
from balai.schema import INSTALLATION_WIDE, KEYED_THROUGH, MODELS
from balai.villages.models import VillageModel


def test_every_model_is_keyed_by_village_or_named_installation_wide():
    unkeyed = [model.__name__ for model in MODELS
               if not issubclass(model, VillageModel) and model not in INSTALLATION_WIDE
               and model not in KEYED_THROUGH]
    assert not unkeyed, f"neither keyed by village nor on INSTALLATION_WIDE: {unkeyed}"
    assert all(issubclass(through, VillageModel) for through in KEYED_THROUGH.values())


def test_the_village_key_is_the_last_column_and_leads_every_unique_index():
    for model in MODELS:
        if not issubclass(model, VillageModel):
            continue
        assert model._meta.sorted_fields[-1].name == "village", model.__name__
        for index in model._meta.fields_to_index():
            columns = [getattr(expression, "name", None) for expression in index._expressions]
            if index._unique:
                assert columns[0] == "village", (model.__name__, columns)
        assert not [field.name for field in model._meta.sorted_fields
                    if field.unique and not field.primary_key], model.__name__
