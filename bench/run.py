"""Run every benchmark in bench/ in turn (`make bench`). Each prints its own figures."""

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent

failed = []
for script in sorted(HERE.glob("*_bench.py")):
    print(f"\n== {script.name}", flush=True)
    if subprocess.run([sys.executable, str(script), *sys.argv[1:]], cwd=HERE.parent).returncode:
        failed.append(script.name)
sys.exit(f"failed: {', '.join(failed)}" if failed else 0)
