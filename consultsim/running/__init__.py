"""Running the model: scenario files, single runs, executors, provenance."""
