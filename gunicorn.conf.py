"""gunicorn settings shared by the Dockerfile and docker-compose (`gunicorn -c gunicorn.conf.py`).

Access lines go to stdout with the path only: no query string (search boxes carry ID numbers
and names), no referer (it carries the previous page's query string). The logger class
strips them even from a format someone changes later (core/access_log.py).
"""

import os

accesslog = "-"
errorlog = "-"
logger_class = "core.access_log.PathOnlyAccessLogger"
# remote address, time, "METHOD /path PROTOCOL", status, bytes, milliseconds, user agent
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

# X-Forwarded-* are honoured only from the reverse proxy (docker-compose.yml sets its fixed
# address); gunicorn itself is not published. Default: only a proxy on this host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
