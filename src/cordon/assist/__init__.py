"""Inter-city assistance requests (协查): outgoing and incoming requests, exchange format, status flowing back."""
