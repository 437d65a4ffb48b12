# Sourced by scripts/browser_check.sh and scripts/docs_check.sh: make sure Debian's Chromium (installed when missing and
# we may use apt-get) and playwright-core (pinned in package.json / package-lock.json; it drives the system Chromium
# and downloads no browser) are at hand. Expects CHROMIUM, DEPS, OUT, NAME (for messages) and a skip() function.
if [ ! -x "$CHROMIUM" ]; then
  command -v apt-get >/dev/null || skip "no $CHROMIUM and no apt-get to install Debian's chromium"
  [ "$(id -u)" = 0 ] || skip "no $CHROMIUM, and installing Debian's chromium needs root"
  echo "$NAME: installing Debian's chromium..."
  { apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }; } >"$OUT/apt.log" 2>&1 \
    || skip "apt-get could not install chromium (see $OUT/apt.log)"
  [ -x "$CHROMIUM" ] || skip "chromium installed but $CHROMIUM is missing"
fi
command -v node >/dev/null && command -v npm >/dev/null || skip "node and npm are needed to drive Chromium (apt-get install nodejs npm)"
if ! cmp -s package-lock.json "$DEPS/package-lock.json" || [ ! -d "$DEPS/node_modules/playwright-core" ]; then
  cp package.json package-lock.json "$DEPS/"
  (cd "$DEPS" && npm ci --no-audit --no-fund --loglevel=error) >"$OUT/npm.log" 2>&1 \
    || skip "npm could not install playwright-core (see $OUT/npm.log)"
fi
