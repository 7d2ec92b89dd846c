#!/usr/bin/env bash
# test_bootstrap.sh SCRIPT - scripts/bootstrap's failure reports (issue 12,
# point 1), on a copy of the script in a scratch repository and a PATH of
# fakes: dpkg-query says which packages are "installed", id says who we
# are, apt-get, sudo, meson and ninja succeed or fail as each case needs.
# Nothing is installed or built, so it runs the same as root in CI.
set -u

script=$1
fail=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Real tools the script uses besides the faked ones.
real="$scratch/real"
mkdir -p "$real"
for t in bash dirname grep mkdir tail nproc cat rm; do
	p=$(command -v "$t") || { echo "no $t on PATH" >&2; exit 1; }
	ln -s "$p" "$real/$t"
done

# check NAME WANT_RC PATTERN... - the last run's exit status and stderr.
check() {
	local name=$1 want=$2 pat
	shift 2
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL $name: exit $rc, expected $want; stderr:" >&2
		cat "$scratch/err" >&2
		fail=1
		return
	fi
	for pat in "$@"; do
		if ! grep -qF -- "$pat" "$scratch/err"; then
			echo "FAIL $name: stderr lacks '$pat'; stderr:" >&2
			cat "$scratch/err" >&2
			fail=1
			return
		fi
	done
	echo "ok   $name"
}

# setup CASE - a fresh repository copy and fake bin directory.
setup() {
	repo="$scratch/$1"
	fake="$repo/fakebin"
	mkdir -p "$repo/scripts" "$fake"
	cp "$script" "$repo/scripts/bootstrap"
	# Every package installed unless MISSING names it.
	cat >"$fake/dpkg-query" <<'SH'
#!/bin/bash
for m in ${MISSING:-}; do [ "$m" = "${@: -1}" ] && exit 1; done
printf 'install ok installed'
SH
	cat >"$fake/id" <<'SH'
#!/bin/bash
echo "${FAKE_UID:-0}"
SH
	cat >"$fake/apt-get" <<'SH'
#!/bin/bash
echo "apt-get $*"
[ "${APT_FAILS:-0}" = 1 ] && { echo "E: Unable to locate package $*"; exit 100; }
exit 0
SH
	cat >"$fake/meson" <<'SH'
#!/bin/bash
case "$1" in
setup)	[ "${SETUP_FAILS:-0}" = 1 ] && {
		echo 'src/meson.build:3:0: ERROR: Dependency "libzstd" not found'
		exit 1; }
	mkdir -p "$2" && : >"$2/build.ninja"; echo "configured $2" ;;
test)	echo "Ok: 1"; [ "${TESTS_FAIL:-0}" = 1 ] && exit 1 ;;
esac
exit 0
SH
	cat >"$fake/ninja" <<'SH'
#!/bin/bash
if [ "${NINJA_FAILS:-0}" = 1 ]; then
	echo "[1/2] Compiling C object src/sim/libpgsim.a.p/sim.c.o"
	echo "FAILED: src/sim/libpgsim.a.p/sim.c.o"
	echo "../src/sim/sim.c:42:1: error: expected ';' before '}' token"
	echo "ninja: build stopped: subcommand failed."
	exit 1
fi
echo "[2/2] Linking target src/cli/pgreplay"
SH
	chmod +x "$fake"/*
}

# go ENV... - run the copy in test mode with PATH = fakes + real tools.
go() {
	rc=0
	(cd "$repo" && env -i PATH="$fake:$real" HOME="$repo" "$@" \
	    "$real/bash" scripts/bootstrap test >"$scratch/out" \
	    2>"$scratch/err") || rc=$?
}

setup noroot
go MISSING="libcriterion-dev zstd" FAKE_UID=1000
check "not root, no sudo: names what to install" 1 \
    "missing Debian packages: libcriterion-dev zstd" \
    "not root and no sudo" \
    "apt-get update && apt-get install -y --no-install-recommends libcriterion-dev zstd"

setup sudo
printf '#!/bin/bash\necho "sudo $*"; exec "$@"\n' >"$fake/sudo"
chmod +x "$fake/sudo"
go MISSING="zstd" FAKE_UID=1000
check "not root, with sudo: installs through sudo" 0 \
    "bootstrap: installing zstd (apt-get install)" \
    "bootstrap: all tests passed"
grep -q "^sudo apt-get install" "$repo/build-logs/apt-install.log" ||
    { echo "FAIL sudo was not used" >&2; fail=1; }

setup aptfails
go MISSING="zstd" APT_FAILS=1
check "root, apt-get fails: the step and its output" 1 \
    "FAILED: installing zstd (apt-get update)" \
    "E: Unable to locate package"

setup setupfails
go SETUP_FAILS=1
check "meson setup fails: the step and its output" 1 \
    "bootstrap: meson setup build" \
    "FAILED: meson setup build (exit 1)" \
    'ERROR: Dependency "libzstd" not found' \
    "build-logs/meson-setup-build.log"

setup ninjafails
go NINJA_FAILS=1
check "the build fails: the step and the compiler's error" 1 \
    "FAILED: build (build: ninja -C build) (exit 1)" \
    "../src/sim/sim.c:42:1: error: expected ';' before '}' token" \
    "ninja: build stopped: subcommand failed."

setup testsfail
go TESTS_FAIL=1
check "the tests fail: which run" 1 \
    "FAILED: tests (plain build, -Werror), exit 1"

setup allgood
go
check "everything works: each step named" 0 \
    "bootstrap: meson setup build" \
    "bootstrap: build (build: ninja -C build)" \
    "bootstrap: tests (plain build, -Werror: meson test -C build)" \
    "bootstrap: meson setup build-sanitize" \
    "bootstrap: tests (AddressSanitizer + UndefinedBehaviorSanitizer" \
    "bootstrap: all tests passed"

exit "$fail"
