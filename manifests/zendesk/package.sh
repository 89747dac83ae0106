#!/usr/bin/env bash
# Packages the Zendesk ticket-sidebar app (manifests/zendesk/app) as the zip zcli and the Zendesk admin upload take:
# manifest.json, translations/ and assets/ at the root. The ZAF SDK (npm zendesk_app_framework_sdk 2.0.11, Apache-2.0) is
# fetched with npm and bundled into assets/zaf_sdk.js, so the app makes no request outside Zendesk and the sidecar.
# Zendesk sends a secure setting only to a domain in the manifest's domainWhitelist, so the sidecar's host name is
# written into it here.
#   usage: manifests/zendesk/package.sh <sidecar-host> [output.zip]
#          (e.g. sidecar.example.com; default output manifests/zendesk/dist/helpdesk-sidecar-zendesk.zip)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
domain="${1:-}"
if [[ ! "$domain" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?$ ]]; then
  echo "package.sh: give the sidecar's host name (e.g. sidecar.example.com) as the first argument" >&2
  exit 2
fi
out="${2:-$here/dist/helpdesk-sidecar-zendesk.zip}"
sdk_version=2.0.11
for tool in npm zip python3; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool is required" >&2; exit 2; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "zendesk_app_framework_sdk@$sdk_version" >/dev/null)
tar -xzf "$work/zendesk_app_framework_sdk-$sdk_version.tgz" -C "$work"
cp -R "$here/app" "$work/app"

# The npm package ships CommonJS sources (lib/*.js), no browser build: wrap them in one script that defines window.ZAFClient.
python3 - "$work/package/lib" "$work/app/assets/zaf_sdk.js" "$sdk_version" <<'PY'
import json, pathlib, sys
lib, out, version = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
modules = {"./" + p.relative_to(lib).with_suffix("").as_posix(): p.read_text(encoding="utf-8") for p in sorted(lib.rglob("*.js"))}
parts = [f"/*! zendesk_app_framework_sdk {version} (Apache-2.0, https://www.npmjs.com/package/zendesk_app_framework_sdk), bundled by package.sh */",
         "(function () {", "var defs = {};"]
for name, source in modules.items():
    parts.append(f"defs[{json.dumps(name)}] = function (module, exports, require) {{\n{source}\n}};")
parts.append("""var cache = {};
function req(name) {
  if (!defs[name]) throw new Error('zaf_sdk bundle: no module ' + name);
  if (!cache[name]) { var m = { exports: {} }; cache[name] = m; defs[name].call(window, m, m.exports, req); }
  return cache[name].exports;
}
window.ZAFClient = req('./index');
})();""")
out.write_text("\n".join(parts) + "\n", encoding="utf-8")
PY

python3 - "$work/app/manifest.json" "$domain" <<'PY'
import json, sys
path, domain = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    manifest = json.load(f)
manifest["domainWhitelist"] = [domain]
with open(path, "w", encoding="utf-8") as f:
    json.dump(manifest, f, indent=2)
    f.write("\n")
PY

mkdir -p "$(dirname "$out")"
rm -f "$out"
(cd "$work/app" && zip -q -r -X "$out" manifest.json translations assets)
echo "$out"
