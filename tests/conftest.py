"""Shared test settings: figures render off-screen."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")



#: Checks that took 3 s or more each on two quiet cores (pytest --durations, December 2026): they run in
#: `make test-slow` (CI runs it too), so that `make test` stays under 4 minutes. Marked here, in one list,
#: rather than file by file; a test that grows slow joins it.
SLOW = {
    "tests/test_app_assets.py::test_cli_sets_solaras_cache_before_solara_is_imported",
    "tests/test_compare.py::test_paired_effect_intervals_cover_the_true_difference_and_are_narrower_than_unpaired",
    "tests/test_compare.py::test_process_pool_gives_the_same_tables_as_serial_runs",
    "tests/test_discover.py::test_discover_on_the_shipped_lever_grid_finds_a_box_and_draws_it",
    "tests/test_docs.py::test_every_identifier_odd_names_exists",
    "tests/test_faults.py::test_kill_9_mid_compare_leaves_the_earlier_results_whole",
    "tests/test_faults.py::test_kill_9_mid_sweep_then_resume_finishes_every_run",
    "tests/test_faults.py::test_two_compares_into_one_folder_at_once",
    "tests/test_faults.py::test_two_sweeps_into_one_folder_at_once",
    "tests/test_fuzz_inputs.py::test_damaged_sweep_records_for_every_reader",
    "tests/test_levers.py::test_complexity_narrows_agreement_and_fails_complex_topics_more",
    "tests/test_levers.py::test_faster_cadence_shortens_the_wait_and_holds_more_meetings_when_topics_queue",
    "tests/test_levers.py::test_pm_inclusion_brings_the_manager_and_its_commitment",
    "tests/test_parallel.py::test_dask_local_cluster_matches_stdlib",
    "tests/test_report.py::test_compare_command_end_to_end",
    "tests/test_report.py::test_report_from_result_tables_is_self_contained",
    "tests/test_report_i18n.py::test_chinese_report_and_figures_have_no_missing_glyph",
    "tests/test_report_i18n.py::test_demo_report_in_chromium_draws_every_character[en]",
    "tests/test_report_i18n.py::test_demo_report_in_chromium_draws_every_character[zh]",
    "tests/test_robustness.py::test_grid_and_oat_end_to_end",
    "tests/test_sensitivity.py::test_sobol_indices_of_ishigami_match_the_published_values",
    "tests/test_sweep.py::test_a_dead_process_worker_stops_cleanly_and_resume_finishes",
    "tests/test_sweep.py::test_dask_local_cluster_gives_identical_tables",
    "tests/test_sweep.py::test_kill_9_then_resume_gives_the_uninterrupted_table",
    "tests/test_sweep_dask.py::test_killed_dask_worker_loses_no_run",
    "tests/test_workers_exit.py::test_kill_9_leaves_no_dask_worker",
    "tests/test_workers_exit.py::test_kill_9_leaves_no_process_pool_worker",
}


def pytest_collection_modifyitems(config, items):
    import pytest

    for item in items:
        if item.nodeid in SLOW:
            item.add_marker(pytest.mark.slow)
