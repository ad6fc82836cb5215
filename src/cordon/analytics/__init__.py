"""Pure analytics kernels (NumPy/SciPy): no Django, no other cordon app. Each kernel states the
reference it reproduces; tests compare against the reference package's own output."""
