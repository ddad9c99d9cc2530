"""Provider inspection notices: record, resolve, withdraw, and the deadline's consequence."""
