"""`bench/run`: every figure of issue 10, each next to a baseline measured in the same run (see bench/README.md)."""
