"""The display checker (monitoring.display): how home pages are fetched and what is kept.

Every request goes through core.egress (its address checks and allow-list); these settings
only narrow it further for this one job.
"""

from .environment import env

# Where a site's home page is looked for, in order: https first, then http. {host} is the
# domain (ASCII form); a staging deployment may point at a proxy port here.
DISPLAY_CHECK_URLS: list[str] = env.list(
    "DISPLAY_CHECK_URLS", default=["https://{host}/", "http://{host}/"]
)
# Seconds to connect, and to wait for the answer once asked.
DISPLAY_CHECK_CONNECT_TIMEOUT = env.float("DISPLAY_CHECK_CONNECT_TIMEOUT", default=5.0)
DISPLAY_CHECK_READ_TIMEOUT = env.float("DISPLAY_CHECK_READ_TIMEOUT", default=10.0)
# A home page larger than this is not read at all (a finding "too large"): the footer is at
# the end, so judging a prefix would report a missing number that may well be there.
DISPLAY_CHECK_MAX_BYTES = env.int("DISPLAY_CHECK_MAX_BYTES", default=3 * 1024 * 1024)
# Redirects followed from the first URL (a loop, or more than this, is a finding).
DISPLAY_CHECK_MAX_REDIRECTS = env.int("DISPLAY_CHECK_MAX_REDIRECTS", default=5)
# Seconds between two requests to the same host (all workers together, through the cache).
DISPLAY_CHECK_HOST_INTERVAL = env.float("DISPLAY_CHECK_HOST_INTERVAL", default=2.0)
# Pages fetched at once by one worker task, and sites per task.
DISPLAY_CHECK_CONCURRENCY = env.int("DISPLAY_CHECK_CONCURRENCY", default=8)
DISPLAY_CHECK_BATCH_SIZE = env.int("DISPLAY_CHECK_BATCH_SIZE", default=25)
# Sites queued per sweep run at most (the next run takes the rest).
DISPLAY_SWEEP_LIMIT = env.int("DISPLAY_SWEEP_LIMIT", default=500)
# Sent on every check: who is asking, and where to read why.
DISPLAY_CHECK_USER_AGENT = env.str(
    "DISPLAY_CHECK_USER_AGENT",
    default="icpfiling-display-check/0.1 (+https://github.com/icpfiling/icpfiling)",
)
# Checks kept per site (the newest); older ones and their evidence are deleted.
DISPLAY_CHECK_KEEP = env.int("DISPLAY_CHECK_KEEP", default=20)
# A full-page screenshot of each fetched page through Chromium (rendered from the HTML we
# fetched, with the network off). Off by default: the embedded default has no browser.
DISPLAY_CHECK_SCREENSHOTS = env.bool("DISPLAY_CHECK_SCREENSHOTS", default=False)
DISPLAY_CHECK_CHROMIUM = env.str("DISPLAY_CHECK_CHROMIUM", default="/usr/bin/chromium")
# The badge image in the snippet to paste (download it from beian.mps.gov.cn, host it).
DISPLAY_PSB_BADGE_SRC = env.str("DISPLAY_PSB_BADGE_SRC", default="/beian-badge.png")
