"""Use cases of incidents: the workflow agents drive, and the detector's side fed by
ingest."""
