"""Filing materials (documents/)."""

from .environment import env

# Largest material upload accepted, in bytes.
DOCUMENTS_MAX_UPLOAD_BYTES = env.int("DOCUMENTS_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
