"""Streaming sources: socket, rate, rate-micro-batch, files; the memory source is in ``..memory``."""
