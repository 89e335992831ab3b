"""What a benchmark result was measured on, printed with every run (shared by the bench scripts)."""
from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {platform.machine()}, "
            f"{model}, load average {os.getloadavg()[0]:.1f}")
