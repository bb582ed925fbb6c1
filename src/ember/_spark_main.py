"""What `spark-submit` runs for `ember run --engine spark`: ember aliased to PySpark, then the program."""

import os
import runpy
import sys

if __name__ == "__main__":
    program, args = sys.argv[1], sys.argv[2:]
    here = os.path.dirname(os.path.abspath(__file__))
    # this file sits inside the ember package; keep the package itself out of the way of the alias
    sys.path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    from ember.shim import install_ember_alias

    for name in [m for m in sys.modules if m == "ember" or m.startswith("ember.")]:
        del sys.modules[name]
    install_ember_alias()
    sys.argv = [program, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(program)))
    runpy.run_path(program, run_name="__main__")
