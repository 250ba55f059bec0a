"""Shared worlds: the organizations, pools, people and resources several test modules start from."""
