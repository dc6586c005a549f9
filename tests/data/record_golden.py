"""Re-record the golden values (only after a deliberate, reviewed model change)."""

import json
import math
from pathlib import Path

from consultsim.running.runner import simulate

r = simulate(None, seed=42, steps=104)
last = r.timeseries.iloc[-1].drop("step")
out = {"scenario": "baseline", "seed": 42, "steps": 104, "n_topics": len(r.topics),
       "final": {k: (None if isinstance(v, float) and math.isnan(v) else float(v)) for k, v in last.items()}}
Path(__file__).with_name("golden_baseline_seed42.json").write_text(json.dumps(out, indent=1) + "\n")
print(json.dumps(out["final"], indent=1))
