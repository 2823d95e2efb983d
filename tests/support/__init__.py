"""Test support shared by several test packages: database copies, local servers."""
