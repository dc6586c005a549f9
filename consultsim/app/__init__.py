"""The interactive classroom app (issue 5): a Solara page around one live model.

Modules, one concept each:

- :mod:`.assets`: fills Solara's CDN proxy cache from npm so the app works offline;
- :mod:`.session`: the model being shown and everything the controls do to it (no Solara);
- :mod:`.lessons`: the three classroom lessons as presets;
- :mod:`.network`, :mod:`.charts`, :mod:`.pipeline`: what is drawn, as plain data and figures;
- :mod:`.page`: the Solara components and the ``Page`` the server shows.

Importing this package imports neither Solara nor the model, so that
``consultsim app`` can set Solara's environment before Solara is loaded.
"""
