"""Deterministic rules around every message: personal-data masking, input rails, output rails."""
