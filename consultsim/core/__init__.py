"""The model core: parameters, random streams, topics, pure-numpy kernels, agents, metrics, model.

Nothing here reads files, plots, or imports Solara or Dask."""
