"""Key workers and freight drivers: registers, testing cadence, passes that checkpoints recognise, flows."""
