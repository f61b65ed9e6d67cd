"""Trainer adapters: a gymnasium environment and Ray fan-out (the TRL example lives in examples/)."""
