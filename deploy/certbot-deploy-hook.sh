#!/bin/sh
# certbot's --deploy-hook for deploy/nginx-balai.conf, run after a certificate is issued and after
# each renewal (certbot sets RENEWED_LINEAGE to its /etc/letsencrypt/live/<name> folder):
#   certbot certonly --webroot -w /var/www/letsencrypt -d HOST --deploy-hook /srv/balai/deploy/certbot-deploy-hook.sh
# The site picks a certificate by host name with a variable, so nginx reads it at each TLS
# handshake in its worker processes (user www-data, or NGINX_GROUP), not as root at start: give
# that group read access to this certificate's files only. No reload: the next handshake reads
# the new files.
set -eu
group=${NGINX_GROUP:-www-data}
archive=/etc/letsencrypt/archive/$(basename "$RENEWED_LINEAGE")
chgrp "$group" /etc/letsencrypt/live /etc/letsencrypt/archive
chmod g+x,g-w /etc/letsencrypt/live /etc/letsencrypt/archive  # pass through, not list
chgrp -R "$group" "$RENEWED_LINEAGE" "$archive"
chmod -R g+rX,g-w "$RENEWED_LINEAGE" "$archive"
