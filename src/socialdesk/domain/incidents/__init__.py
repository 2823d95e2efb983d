"""Incident detection: spikes of problem reports about one topic or monitor, found as posts stream in.

Pure: no I/O. `detector.IncidentDetector` is what the server and `socialdesk incidents detect` run.
"""
