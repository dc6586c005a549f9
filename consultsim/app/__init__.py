"""The interactive classroom app (issue 5, issue 10): a Solara page around one live model and its reference.

Modules, one concept each:

- :mod:`.assets`: fills Solara's CDN proxy cache from npm so the app works offline;
- :mod:`.session`: the live model, the reference model beside it, and everything the controls do to them
  (no Solara);
- :mod:`.lessons`: the classroom lessons as presets with the promise each one checks;
- :mod:`.network` (positions), :mod:`.pipeline` (topic cards), :mod:`.live` (everything the browser draws,
  as data) and ``live.vue`` (the browser side: charts as SVG, the network on a canvas);
- :mod:`.labels`: lever names and values as the page shows them (texts: :mod:`consultsim.i18n.app`);
- :mod:`.replay`: a run exported from the app made again, bit for bit (``consultsim run --replay``);
- :mod:`.player`: which play loop may run;
- :mod:`.probe`: latency and legibility measured in a real browser (the browser test and the benchmark);
- :mod:`.page`: the Solara components and the ``Page`` the server shows.

Importing this package imports neither Solara nor the model, so that
``consultsim app`` can set Solara's environment before Solara is loaded.
"""
