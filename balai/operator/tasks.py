"""The operator's desk's tasks: staging a population import and applying it, each re-queued by
the worker from the imports the database says are unfinished."""
from balai.operator import population_import
from balai.operator.population_import import PopulationImport


def register(queue):
    @queue.huey.task()
    def stage_population_import(import_id):
        """Read and check an import's file into its staged rows (the preview)."""
        with queue.context():
            population_import.stage(import_id)

    @queue.huey.task()
    def apply_population_import(import_id):
        """Write an import's new and changed records, all in one transaction."""
        with queue.context():
            population_import.apply(import_id)

    queue.add("stage_population_import", stage_population_import,
              lambda horizon: [((batch.id,), None) for batch in PopulationImport.to_stage()])
    queue.add("apply_population_import", apply_population_import,
              lambda horizon: [((batch.id,), None) for batch in PopulationImport.to_apply()])
