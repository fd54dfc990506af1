# Sourced by scripts/run and scripts/test: make `python3 -m venv` work on a bare Debian.
# `python3 -m venv` needs Debian's python3-venv (ensurepip); install it when it is missing,
# as root or with sudo.
ensure_python_venv() {
  if python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
}
