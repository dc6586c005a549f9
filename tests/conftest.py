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
    # 2026-12-03, after issues 16-21 merged: the fast suite took 246 s on two quiet cores; these took 2.4-3.4 s
    # each (pytest --durations); the bad-input cases of `run` stay covered fast by tests/test_fuzz_inputs.py
    "tests/test_faults.py::test_full_disk_is_one_line_and_keeps_the_earlier_results",
    "tests/test_levers.py::test_social_workers_reach_those_who_rarely_come_and_facilitate",
    "tests/test_levers.py::test_supervision_sanctions_free_riders_and_speeds_implementation",
    "tests/test_mechanisms.py::test_a_public_subsidy_funds_more_retrofits_and_unfunded_ones_come_back",
    "tests/test_report_i18n.py::test_overview_shows_every_scenario_readably[16]",
    "tests/test_report_i18n.py::test_font_face_embeds_only_the_characters_used",
    "tests/test_sweep_dask.py::test_sweep_connects_to_a_running_scheduler_by_address_or_file",
    "tests/test_sweep.py::test_process_executor_gives_identical_tables",
    "tests/test_sweep.py::test_cli_sweep_progress_bar_and_summary",
    "tests/test_app.py::test_each_lesson_shows_what_it_promises[vicious]",
    "tests/test_app.py::test_each_lesson_shows_what_it_promises[follow]",
    "tests/test_cli_run.py::test_bad_input_exits_2_with_one_line",  # every parameter case
    "tests/test_cli_run.py::test_bad_scenario_file_is_named",
}


def pytest_collection_modifyitems(config, items):
    import pytest

    for item in items:
        if item.nodeid in SLOW or item.nodeid.split("[")[0] in SLOW:
            item.add_marker(pytest.mark.slow)
