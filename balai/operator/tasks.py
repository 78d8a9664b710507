"""The operator's desk's tasks: staging a population import, applying it, and forgetting its
rows when they have served, each re-queued by the worker from what the database says."""
from balai.operator import import_retention, population_import
from balai.operator.population_import import PopulationImport


def register(queue):
    @queue.task()
    def stage_population_import(import_id):
        """Read and check an import's file into its staged rows (the preview)."""
        population_import.stage(import_id)

    @queue.task()
    def apply_population_import(import_id):
        """Write an import's new and changed records, all in one transaction."""
        population_import.apply(import_id)

    @queue.task()
    def forget_population_import(import_id):
        """Drop an old import's staged rows (residents' data) and its file."""
        import_retention.forget(import_id)

    queue.add("stage_population_import", stage_population_import,
              lambda horizon: [((batch.id,), None) for batch in PopulationImport.to_stage()])
    queue.add("apply_population_import", apply_population_import,
              lambda horizon: [((batch.id,), None) for batch in PopulationImport.to_apply()])
    queue.add("forget_population_import", forget_population_import,
              lambda horizon: [((batch.id,), None) for batch in import_retention.expired()])
