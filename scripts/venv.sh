# Sourced by scripts/demo and scripts/test: creates .venv with Python 3.11+ and an up-to-date pip.
# Ubuntu's python3 has no ensurepip (it is in the python3-venv package), so `python3 -m venv`
# fails there until that package is installed; it is installed here with apt-get when missing.

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

make_venv() {
  command -v python3 >/dev/null || { echo "python3 not found: install Python 3.11 or newer" >&2; exit 1; }
  if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "near_tui needs Python 3.11 or newer; python3 is $(python3 -V 2>&1)" >&2
    exit 1
  fi
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    local versioned
    versioned="python$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')-venv"
    if command -v apt-get >/dev/null; then
      echo "python3 cannot create virtual environments (no ensurepip): installing python3-venv with apt-get" >&2
      apt_install python3-venv || apt_install "$versioned"
      python3 -c 'import ensurepip' 2>/dev/null || apt_install "$versioned"
    else
      echo "python3 cannot create virtual environments (no ensurepip): install your system's venv package" >&2
      exit 1
    fi
  fi
  # On an existing .venv (one left without pip by a failed attempt, too) this adds what is missing.
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
}
