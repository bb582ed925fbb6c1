"""ember's benchmarks: ember and PySpark side by side on the same input, in one run."""
