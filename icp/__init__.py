"""The ICP domain kernel: rules that need neither a database nor Django settings."""
