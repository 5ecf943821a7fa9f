#!/usr/bin/env bash
# Runs one pactline binary for a composite action, turning the action's inputs into its flags.
#
#   scripts/action-run.sh BINARY
#
# The action's step passes every input as an environment variable, `INPUT_<NAME>` (the input's
# name upper-cased, `-` as `_`), and never interpolates one into a script: a value is only ever
# an argument or an environment variable of the binary. $PACTLINE_INPUTS says how each input
# becomes arguments, one input a line, `<input> <kind> [<variable>]`:
#
#   command            the subcommand (required)
#   positional         one positional argument per line of the value, after `--`
#   value              `--<input>=<value>` when not empty
#   list               `--<input>=<item>` per comma- or newline-separated item
#   flag               `--<input>` when true (true/false as YAML 1.2: true, True, TRUE, ...)
#   flag-or-value      `--<input>` when true, `--<input>=<value>` for another value
#   env VAR            exported as VAR when not empty (the binary's env fallback for the flag),
#                      so a value set for the whole job is kept when the input is empty
#   secret-env VAR     the same, masked in the log first
#
# $PACTLINE_BIN_DIR is the directory from scripts/action-install.sh.
set -euo pipefail

fail() {
  printf '::error title=%s::%s\n' "${bin:-pactline}" "$*"
  exit 2
}
trim() {
  local v="$1"
  v="${v#"${v%%[![:space:]]*}"}"
  v="${v%"${v##*[![:space:]]}"}"
  printf '%s' "$v"
}

[ "$#" -eq 1 ] || fail "usage: action-run.sh BINARY"
bin="$1"
[ -n "${PACTLINE_BIN_DIR:-}" ] || fail "\$PACTLINE_BIN_DIR is not set (the install step's \`bin-dir\` output)"
[ -n "${PACTLINE_INPUTS:-}" ] || fail "\$PACTLINE_INPUTS is not set"
bin_dir="$PACTLINE_BIN_DIR"
if command -v cygpath >/dev/null 2>&1; then bin_dir="$(cygpath -u "$bin_dir")"; fi
exe="$bin_dir/$bin"
[ -x "$exe" ] || [ ! -x "$exe.exe" ] || exe="$exe.exe"
[ -x "$exe" ] || fail "\`$exe\` is not an executable"

command_args=()
flag_args=()
positional_args=()
while read -r name kind variable extra; do
  case "$name" in '' | '#'*) continue ;; esac
  [ -z "$extra" ] || fail "\$PACTLINE_INPUTS: too many words for \`$name\`"
  input_var="INPUT_$(printf '%s' "$name" | tr 'abcdefghijklmnopqrstuvwxyz-' 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_')"
  value="$(trim "${!input_var-}")"
  case "$kind" in
    command)
      [ -n "$value" ] || fail "input \`$name\` is required"
      command_args=("$value")
      ;;
    positional)
      while IFS= read -r item; do
        item="$(trim "$item")"
        [ -z "$item" ] || positional_args+=("$item")
      done <<<"$value"
      ;;
    value)
      [ -z "$value" ] || flag_args+=("--$name=$value")
      ;;
    list)
      while IFS= read -r item; do
        item="$(trim "$item")"
        [ -z "$item" ] || flag_args+=("--$name=$item")
      done <<<"$(printf '%s' "$value" | tr ',' '\n')"
      ;;
    flag | flag-or-value)
      case "$value" in
        '' | false | False | FALSE) ;;
        true | True | TRUE) flag_args+=("--$name") ;;
        *)
          [ "$kind" = flag-or-value ] ||
            fail "input \`$name\` must be true or false, not \`$value\`"
          flag_args+=("--$name=$value")
          ;;
      esac
      ;;
    env | secret-env)
      [[ "$variable" =~ ^[A-Z_][A-Z0-9_]*$ ]] || fail "\$PACTLINE_INPUTS: \`$name\` needs a variable name"
      if [ -n "$value" ]; then
        if [ "$kind" = secret-env ]; then
          while IFS= read -r line; do
            [ -z "$line" ] || printf '::add-mask::%s\n' "$line"
          done <<<"$value"
        fi
        export "$variable=$value"
      fi
      ;;
    *) fail "\$PACTLINE_INPUTS: unknown kind \`$kind\` for \`$name\`" ;;
  esac
done <<<"$PACTLINE_INPUTS"

# The binaries read PACTLINE_* env fallbacks: pass them none of this script's own variables.
unset PACTLINE_INPUTS PACTLINE_BIN_DIR

# ${a[@]+"${a[@]}"}: an empty array under `set -u` on the bash 3.2 of macOS.
if [ "${#positional_args[@]}" -gt 0 ]; then
  exec "$exe" ${command_args[@]+"${command_args[@]}"} ${flag_args[@]+"${flag_args[@]}"} -- "${positional_args[@]}"
fi
exec "$exe" ${command_args[@]+"${command_args[@]}"} ${flag_args[@]+"${flag_args[@]}"}
