"""Benchmarks: scripts that build data at a named scale and print figures beside a floor
measured in the same run. See bench/README.md."""
