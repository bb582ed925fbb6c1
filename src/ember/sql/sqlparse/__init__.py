"""The pieces of ember's SQL translator; ``ember.sql.sqlparser`` is the entry point."""
