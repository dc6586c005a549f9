"""One module per ``consultsim`` subcommand: ``configure(parser)`` and ``run(args)``."""
