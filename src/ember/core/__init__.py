"""The batch engine everything stands on: SparkContext, RDD, shuffles and the task scheduler."""
