# Sourced by the comparison scripts: the Python environment they share.
#
#   ensure_python_env "import jax, scipy" "jax jaxlib scipy"
#
# creates $JAX_VENV (default target/jax-venv) when the import fails and
# installs the packages into it from PyPI.
JAX_VENV="${JAX_VENV:-$root/target/jax-venv}"

ensure_python_env() {
    local check="$1" packages="$2"
    if ! "$JAX_VENV/bin/python" -c "$check" 2>/dev/null; then
        echo "setting up $JAX_VENV with: pip install $packages" >&2
        [ -x "$JAX_VENV/bin/pip" ] || python3 -m venv "$JAX_VENV"
        # shellcheck disable=SC2086
        "$JAX_VENV/bin/pip" install --quiet $packages
    fi
}
