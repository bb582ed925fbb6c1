"""The stateful operators of a streaming query, one per module.

Each operator runs one micro-batch at a time through ``step(bindings, watermark_ms, batch_id)`` and keeps
what it needs across batches in its owner's :class:`~ember.sql.streaming.statestore.StateStore`
(see :mod:`ember.sql.streaming.operators.base`). :mod:`ember.sql.streaming.incremental` picks the
operator for a plan and cuts the plan around it.
"""
