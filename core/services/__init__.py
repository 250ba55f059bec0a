"""Use cases: short async functions taking ids and plain values, one transaction each."""
