"""Analysis of runs: comparisons, validation, sensitivity, reports and figures."""
