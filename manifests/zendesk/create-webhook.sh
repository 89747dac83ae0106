#!/usr/bin/env bash
# Creates the event-subscription webhook in your Zendesk account and prints its signing secret.
# Needs: ZENDESK_SUBDOMAIN, ZENDESK_EMAIL, ZENDESK_API_TOKEN (an admin's API token), SIDECAR_URL (public https URL).
set -euo pipefail
: "${ZENDESK_SUBDOMAIN:?}" "${ZENDESK_EMAIL:?}" "${ZENDESK_API_TOKEN:?}" "${SIDECAR_URL:?}"
here="$(cd "$(dirname "$0")" && pwd)"
api="https://${ZENDESK_SUBDOMAIN}.zendesk.com/api/v2"
auth="${ZENDESK_EMAIL}/token:${ZENDESK_API_TOKEN}"

body=$(sed "s|https://sidecar.example.com|${SIDECAR_URL%/}|" "$here/webhook.json")
created=$(curl -fsS -u "$auth" -H 'Content-Type: application/json' -X POST "$api/webhooks" -d "$body")
id=$(printf '%s' "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["webhook"]["id"])')
secret=$(curl -fsS -u "$auth" "$api/webhooks/$id/signing_secret" | python3 -c 'import json,sys; print(json.load(sys.stdin)["signing_secret"]["secret"])')

echo "Webhook $id created."
echo "Give the sidecar its signing secret, e.g.:"
echo "  export Sidecar__Zendesk__WebhookSecrets__0='$secret'"
