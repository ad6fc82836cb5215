"""Benchmarks: `cordon bench ...` commands that print figures and a final JSON line. They sit on top of every app and the simulator; nothing imports them."""
