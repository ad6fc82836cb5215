"""cordon: city epidemic prevention and control command platform."""
